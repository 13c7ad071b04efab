package dev.postoffice.rabbit.endtoend;

import com.zaxxer.hikari.HikariDataSource;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PipelineBuilder;
import dev.postoffice.core.PostOffice;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.jdbc.JdbcReceiptLog;
import dev.postoffice.itsupport.EndToEnd;
import dev.postoffice.itsupport.EndToEnd.OrderPlaced;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.rabbit.RabbitTransport;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The full upstream round trip, not run by the build: N partner messages submitted to the intake
 * (batches of 100), through the four layers on the JDBC store (PostgreSQL at 127.0.0.1:5432,
 * synchronous commits), published with confirms to RabbitMQ at 127.0.0.1:5672 (persistent), handled
 * by the Core App receiver (JDBC receipt log), acknowledged back, until every entry is {@code
 * ACKNOWLEDGED}. Two rounds; the second is warm.
 *
 * <p>Arguments: messages (default 10000), stage concurrency (default 1), batch size (default 100).
 */
public final class RabbitRoundTripBenchmark {
  private RabbitRoundTripBenchmark() {}

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
    try (HikariDataSource db = EndToEnd.postgres(16)) {
      for (int round = 1; round <= 2; round++) {
        String tables = EndToEnd.tablePrefix();
        String prefix = Rabbit.uniquePrefix();
        try {
          double rate = round(db, tables, prefix, messages, concurrency, batchSize);
          System.out.printf(
              "round %d: %,d messages intake -> Acknowledged (PostgreSQL + RabbitMQ, concurrency %d,"
                  + " batch %d): %,.0f msgs/s%n",
              round, messages, concurrency, batchSize, rate);
        } finally {
          EndToEnd.dropTables(db, tables);
          Rabbit.cleanUp(prefix, List.of("core.orders", PipelineBuilder.DEFAULT_ACK_DESTINATION));
        }
      }
    }
  }

  private static double round(
      HikariDataSource db,
      String tables,
      String prefix,
      int messages,
      int concurrency,
      int batchSize)
      throws Exception {
    JdbcStatusStore store = JdbcStatusStore.builder(db).tablePrefix(tables).build();
    store.migrate();
    JdbcReceiptLog receipts = JdbcReceiptLog.builder(db).tablePrefix(tables).build();
    AtomicInteger handled = new AtomicInteger();
    try (RabbitTransport postOffice = Rabbit.transport(prefix);
        RabbitTransport core = Rabbit.transport(prefix);
        Pipeline pipeline =
            PostOffice.builder()
                .store(store)
                .transport(postOffice)
                .route(
                    EndToEnd.ordersRoute(
                        "bench",
                        "core.orders",
                        EndToEnd.settings()
                            .batchSize(batchSize)
                            .concurrency(concurrency)
                            .highWaterMark(10L * messages)
                            .build()))
                .build()
                .start();
        CoreAppReceiver<OrderPlaced> receiver =
            CoreAppReceiver.builder(core, receipts, OrderPlaced.class)
                .from("core.orders")
                .handler((order, context) -> handled.incrementAndGet())
                .build()
                .start()) {
      return EndToEnd.roundTrip(pipeline, "bench", messages, handled::get);
    }
  }
}
