package dev.postoffice.sqs.endtoend;

import com.zaxxer.hikari.HikariDataSource;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.jdbc.JdbcReceiptLog;
import dev.postoffice.itsupport.EndToEnd;
import dev.postoffice.itsupport.EndToEnd.OrderPlaced;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.sqs.SqsTransport;
import dev.postoffice.sqs.SqsTransportSettings;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The full upstream round trip, not run by the build: N partner messages submitted to the intake
 * (batches of 100), through the four layers on the JDBC store (PostgreSQL at 127.0.0.1:5432,
 * synchronous commits), published in batches to SQS (an embedded ElasticMQ in this JVM, in memory),
 * handled by the Core App receiver (JDBC receipt log), acknowledged back on an SQS queue, until
 * every entry is {@code ACKNOWLEDGED}. Two rounds; the second is warm.
 *
 * <p>Arguments: messages (default 10000), stage concurrency (default 1), batch size (default 100),
 * consumer threads of both transports (default {@link
 * SqsTransportSettings#DEFAULT_CONSUMER_THREADS}).
 */
public final class SqsRoundTripBenchmark {
  private SqsRoundTripBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args messages, stage concurrency, batch size
   * @throws Exception if a round fails
   */
  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int consumerThreads =
        args.length > 3 ? Integer.parseInt(args[3]) : SqsTransportSettings.DEFAULT_CONSUMER_THREADS;
    try (HikariDataSource db = EndToEnd.postgres(16)) {
      for (int round = 1; round <= 2; round++) {
        String tables = EndToEnd.tablePrefix();
        String prefix = ElasticMqServer.uniquePrefix();
        try {
          double rate =
              round(db, tables, prefix, messages, concurrency, batchSize, consumerThreads);
          System.out.printf(
              "round %d: %,d messages intake -> Acknowledged (PostgreSQL + SQS on embedded ElasticMQ, concurrency %d,"
                  + " batch %d, %d consumer threads): %,.0f msgs/s%n",
              round, messages, concurrency, batchSize, consumerThreads, rate);
        } finally {
          EndToEnd.dropTables(db, tables);
        }
      }
    }
    System.exit(0); // the embedded ElasticMQ's threads would keep the JVM alive
  }

  private static double round(
      HikariDataSource db,
      String tables,
      String prefix,
      int messages,
      int concurrency,
      int batchSize,
      int consumerThreads)
      throws Exception {
    JdbcStatusStore store = JdbcStatusStore.builder(db).tablePrefix(tables).build();
    store.migrate();
    JdbcReceiptLog receipts = JdbcReceiptLog.builder(db).tablePrefix(tables).build();
    AtomicInteger handled = new AtomicInteger();
    try (SqsTransport postOffice =
            SqsTransport.create(
                ElasticMqServer.get().settings(prefix).consumerThreads(consumerThreads).build());
        SqsTransport core =
            SqsTransport.create(
                ElasticMqServer.get().settings(prefix).consumerThreads(consumerThreads).build());
        Pipeline pipeline =
            PostOffice.builder()
                .store(store)
                .transport(postOffice)
                .ackDestination("postoffice-acks")
                .route(
                    EndToEnd.ordersRoute(
                        "bench",
                        "core-orders",
                        EndToEnd.settings()
                            .batchSize(batchSize)
                            .concurrency(concurrency)
                            .highWaterMark(10L * messages)
                            .build()))
                .build()
                .start();
        CoreAppReceiver<OrderPlaced> receiver =
            CoreAppReceiver.builder(core, receipts, OrderPlaced.class)
                .from("core-orders")
                .ackDestination("postoffice-acks")
                .handler((order, context) -> handled.incrementAndGet())
                .build()
                .start()) {
      return EndToEnd.roundTrip(pipeline, "bench", messages, handled::get);
    }
  }
}
