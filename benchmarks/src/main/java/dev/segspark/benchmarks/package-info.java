/** JMH benchmarks (not tests): matrix accumulation, PNG decoding, the evaluate job end to end. */
package dev.segspark.benchmarks;
