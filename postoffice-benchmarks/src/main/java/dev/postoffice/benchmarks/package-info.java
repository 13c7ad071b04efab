/**
 * Benchmarks: the end-to-end harness ({@link dev.postoffice.benchmarks.EndToEnd}) and its workload.
 * Not published and no compatibility promise; run as docs/performance.md shows.
 */
package dev.postoffice.benchmarks;
