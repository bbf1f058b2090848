package dev.segspark.evaluation.report;

import java.io.Serializable;

/** An image that could not be evaluated, with the reason (the exception message). */
public record ImageError(String image, String error) implements Serializable {}
