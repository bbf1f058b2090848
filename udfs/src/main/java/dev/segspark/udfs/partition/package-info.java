/** Partition-level functions: named static classes that capture only serializable specs. */
package dev.segspark.udfs.partition;
