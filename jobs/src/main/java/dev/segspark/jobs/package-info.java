/** Spark jobs, the {@code SegActions} facade and the {@code segspark} command line. */
package dev.segspark.jobs;
