/** Code that runs on executors: reading inputs, per-partition functions, Spark UDFs. */
package dev.segspark.udfs;
