package dev.postoffice.reliability;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postoffice.core.PipelineBuilder;
import dev.postoffice.itsupport.EndToEnd;
import dev.postoffice.rabbit.RabbitTransportSettings;
import dev.postoffice.testkit.RequiredService;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** The local PostgreSQL and RabbitMQ: pools, unique names, and clean-up. */
final class Services {
  static final String HOST = "127.0.0.1";
  static final int POSTGRES_PORT = 5432;
  static final int RABBIT_PORT = 5672;

  private Services() {}

  /** Skips (or fails under the CI switch) unless both services are reachable. */
  static void assumeReachable() {
    RequiredService.assumeReachable("PostgreSQL", HOST, POSTGRES_PORT);
    RequiredService.assumeReachable("RabbitMQ", HOST, RABBIT_PORT);
  }

  /**
   * @return a JDBC URL of the test database on the given port (the server's, or a proxy's)
   */
  static String jdbcUrl(int port) {
    return "jdbc:postgresql://"
        + HOST
        + ":"
        + port
        + "/test?reWriteBatchedInserts=true&socketTimeout=30"
        + "&connectTimeout=5";
  }

  /** A pool on the local PostgreSQL (or a proxy in front of it). */
  static HikariDataSource postgres(int port, int size, String poolName) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl(port));
    config.setUsername("postgres");
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(5000);
    config.setPoolName(poolName);
    return new HikariDataSource(config);
  }

  /**
   * @return a table prefix no other run uses
   */
  static String tablePrefix(String suite) {
    return "rel_"
        + suite
        + "_"
        + UUID.randomUUID().toString().replace("-", "").substring(0, 8)
        + "_";
  }

  /**
   * @return a queue name prefix no other run uses
   */
  static String queuePrefix(String suite) {
    return "rel-" + suite + "-" + UUID.randomUUID().toString().substring(0, 8) + ".";
  }

  /** Rabbit settings with fast recovery, on the given port (the broker's, or a proxy's). */
  static RabbitTransportSettings.Builder rabbit(String prefix, int port, String connectionName) {
    return RabbitTransportSettings.builder()
        .host(HOST)
        .port(port)
        .namePrefix(prefix)
        .connectionName(connectionName)
        .confirmTimeout(Duration.ofSeconds(5))
        .recoveryInterval(Duration.ofMillis(250));
  }

  /** Drops every table whose name starts with the prefix. */
  static void dropTables(DataSource dataSource, String prefix) throws SQLException {
    EndToEnd.dropTables(dataSource, prefix);
  }

  /**
   * Deletes the destinations' queues (with the acknowledgement queue) and dead-letter queues, and
   * the exchanges.
   */
  static void deleteQueues(String prefix, List<String> destinations) {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(HOST);
    f.setPort(RABBIT_PORT);
    try (Connection c = f.newConnection("postoffice-reliability-cleanup");
        Channel ch = c.createChannel()) {
      List<String> all = new ArrayList<>(destinations);
      all.add(PipelineBuilder.DEFAULT_ACK_DESTINATION);
      for (String d : all) {
        ch.queueDelete(prefix + d);
        ch.queueDelete(prefix + d + RabbitTransportSettings.DEFAULT_DEAD_LETTER_SUFFIX);
      }
      ch.exchangeDelete(prefix + RabbitTransportSettings.DEFAULT_EXCHANGE);
      ch.exchangeDelete(prefix + RabbitTransportSettings.DEFAULT_DEAD_LETTER_EXCHANGE);
    } catch (Exception e) {
      System.err.println("reliability: could not delete the queues of " + prefix + ": " + e);
    }
  }
}
