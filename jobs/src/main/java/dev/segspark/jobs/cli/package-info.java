/**
 * The {@code segspark} command line: thin commands that parse, build a spec, run an action, print.
 */
package dev.segspark.jobs.cli;
