/** Dataset layouts: list ground truth and match predictions on the driver (paths only). */
package dev.segspark.jobs.data;
