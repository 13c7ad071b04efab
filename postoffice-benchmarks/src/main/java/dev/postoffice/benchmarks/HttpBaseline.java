package dev.postoffice.benchmarks;

import dev.postoffice.codec.JacksonCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The downstream baseline: the same POSTs (same bodies, an idempotency key each) to the same
 * partner stand-in with a plain JDK {@link HttpClient} built as the {@code HttpDispatcher} builds
 * its own, one request at a time on each of as many threads as the pipeline's dispatch stage has
 * (stage concurrency times nodes). No store, no queue, no translation: what is left is the HTTP
 * round trip.
 */
final class HttpBaseline {
  private HttpBaseline() {}

  /**
   * Runs once.
   *
   * @param partner the partner stand-in
   * @param messages how many requests
   * @param threads how many callers
   * @return the seconds it took and the process CPU per message in µs
   */
  static double[] run(PartnerServer partner, int messages, int threads) throws Exception {
    JacksonCodec codec = JacksonCodec.create();
    byte[][] bodies = new byte[Math.min(messages, Workload.DISTINCT)][];
    for (int i = 0; i < bodies.length; i++) {
      bodies[i] = codec.encode(DownstreamRun.ship(DownstreamRun.coreOrder(codec, i))).bytes();
    }
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    URI uri = partner.uri();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long cpuBefore = Stats.processCpuNanos();
      long started = System.nanoTime();
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        work.add(
            pool.submit(
                () -> {
                  for (int i = first; i < messages; i += threads) {
                    HttpRequest request =
                        HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .header("Idempotency-Key", "baseline-" + i)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bodies[i % bodies.length]))
                            .build();
                    HttpResponse<byte[]> response =
                        client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() != 200) {
                      throw new IllegalStateException("partner answered " + response.statusCode());
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : work) {
        f.get();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      return new double[] {seconds, (Stats.processCpuNanos() - cpuBefore) / 1000.0 / messages};
    } finally {
      pool.shutdown();
    }
  }
}
