package dev.segspark.udfs.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The shipped model specs and files ({@code conf/models/}) as the segspark-udfs jar holds them,
 * under {@link #FOLDER} (udfs/pom.xml packs them), for runs without a checkout.
 */
final class ShippedModels {
  /** The class path folder of the shipped specs and model files. */
  static final String FOLDER = "segspark/models/";

  private ShippedModels() {}

  /** Names of the shipped specs on the class path, sorted; empty when there are none. */
  static List<String> names() {
    URL url = ModelFiles.loader().getResource(FOLDER);
    if (url == null) {
      return List.of();
    }
    List<String> files = new ArrayList<>();
    try {
      if (url.getProtocol().equals("file")) {
        try (var list = java.nio.file.Files.list(Path.of(url.toURI()))) {
          list.forEach(p -> files.add(p.getFileName().toString()));
        }
      } else if (url.openConnection() instanceof JarURLConnection jar) {
        jar.setUseCaches(false);
        try (JarFile file = jar.getJarFile()) {
          for (JarEntry e : Collections.list(file.entries())) {
            String n = e.getName();
            if (n.startsWith(FOLDER) && n.indexOf('/', FOLDER.length()) < 0) {
              files.add(n.substring(FOLDER.length()));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list shipped model specs in " + url, e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Cannot list shipped model specs in " + url, e);
    }
    return files.stream()
        .filter(n -> n.endsWith(".yaml"))
        .map(n -> n.substring(0, n.length() - ".yaml".length()))
        .sorted()
        .toList();
  }
}
