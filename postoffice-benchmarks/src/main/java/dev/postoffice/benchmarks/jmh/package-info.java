/**
 * JMH microbenchmarks of the hot spots: codec, stage hand-off, in-memory and JDBC (H2) claim and
 * commit. Not published and no compatibility promise; run through {@code org.openjdk.jmh.Main} as
 * docs/performance.md shows.
 */
package dev.postoffice.benchmarks.jmh;
