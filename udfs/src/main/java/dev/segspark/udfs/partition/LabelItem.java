package dev.segspark.udfs.partition;

import java.io.Serializable;

/**
 * One image to label.
 *
 * @param image absolute path of the input image
 * @param relative its path below the input root (mirrored under each output folder)
 */
public record LabelItem(String image, String relative) implements Serializable {}
