/**
 * Image codecs for label maps and frames: a PNG decoder/encoder tuned for single-channel label maps
 * (8/16-bit grey, palette) that reports corrupt, truncated and wrong-kind files by name.
 */
package dev.segspark.evaluation.image;
