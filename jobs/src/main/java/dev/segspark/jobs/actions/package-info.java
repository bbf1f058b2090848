/**
 * The {@code SegActions} facade: {@code SegActions.get(spark).evaluate(spec).execute()} for
 * spark-submit, Java and notebooks alike; the CLI is a thin layer over it.
 */
package dev.segspark.jobs.actions;
