package dev.segspark.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS for benchmarks: one NameNode and one DataNode on loopback, in this JVM, storing under
 * {@code BASE}; writes the NameNode's port to {@code PORT_FILE} once it serves, and stops when its
 * standard input closes (its parent ended) or it is killed.
 *
 * <p>Usage: {@code MiniHdfs BASE PORT_FILE}
 */
public final class MiniHdfs {
  private MiniHdfs() {}

  public static void main(String[] args) throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, args[0]);
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    try {
      dfs.waitActive();
      Path port = Path.of(args[1]);
      Path tmp = port.resolveSibling(port.getFileName() + ".tmp");
      Files.writeString(tmp, Integer.toString(dfs.getNameNodePort()));
      Files.move(tmp, port, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      while (System.in.read() >= 0) {
        // runs until the parent closes our standard input
      }
    } finally {
      dfs.shutdown();
    }
  }
}
