/** Reading and writing sample files from executors, with errors that name the file. */
package dev.segspark.udfs.io;
