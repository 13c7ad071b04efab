package dev.postoffice.jdbc;

import dev.postoffice.jdbc.internal.Tables;
import dev.postoffice.jdbc.internal.Transactions;
import dev.postoffice.spi.StoreCapabilities;
import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Builds a {@link JdbcStatusStore} or a {@link JdbcReceiptLog}: the dialect, the table prefix, the
 * clock and the statement timeout. Not thread-safe; {@link #build()} copies the settings into the
 * immutable store.
 *
 * @param <T> what it builds
 */
public final class JdbcStoreBuilder<T> {
  /** The default table prefix. */
  public static final String DEFAULT_TABLE_PREFIX = "po_";

  /**
   * The longest table prefix accepted (index names must stay under every database's identifier
   * limit).
   */
  public static final int MAX_PREFIX_LENGTH = 30;

  /** The default clock for leases and due times: the database's. */
  public static final JdbcClock DEFAULT_CLOCK = JdbcClock.DATABASE;

  /** The default statement timeout: 30 seconds. */
  public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);

  private static final Duration MAX_TIMEOUT = Duration.ofHours(24);

  private static final Pattern PREFIX = Pattern.compile("[a-z_][a-z0-9_]*");

  private final Jdbi jdbi;
  private final Function<JdbcStatusStore.Config, T> factory;
  private JdbcDialect dialect;
  private String tablePrefix = DEFAULT_TABLE_PREFIX;
  private JdbcClock clock = DEFAULT_CLOCK;
  private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;

  JdbcStoreBuilder(Jdbi jdbi, Function<JdbcStatusStore.Config, T> factory) {
    this.jdbi = jdbi;
    this.factory = factory;
  }

  /**
   * Sets the database dialect. Defaults to the one detected from the connection's metadata at
   * {@link #build()}.
   *
   * @param dialect the dialect
   * @return this builder
   * @throws NullPointerException if dialect is null
   */
  public JdbcStoreBuilder<T> dialect(JdbcDialect dialect) {
    this.dialect = Objects.requireNonNull(dialect, "dialect cannot be null");
    return this;
  }

  /**
   * Sets the prefix of every table and index name, so several stores (or tests) can share one
   * schema. Defaults to {@value #DEFAULT_TABLE_PREFIX}.
   *
   * @param tablePrefix lower-case letters, digits and underscores, not starting with a digit, at
   *     most {@value #MAX_PREFIX_LENGTH} characters
   * @return this builder
   * @throws IllegalArgumentException if the prefix is not valid
   */
  public JdbcStoreBuilder<T> tablePrefix(String tablePrefix) {
    Objects.requireNonNull(tablePrefix, "tablePrefix cannot be null");
    if (tablePrefix.length() > MAX_PREFIX_LENGTH || !PREFIX.matcher(tablePrefix).matches()) {
      throw new IllegalArgumentException(
          "tablePrefix must match [a-z_][a-z0-9_]* and be at most "
              + MAX_PREFIX_LENGTH
              + " characters, but was '"
              + tablePrefix
              + "'");
    }
    this.tablePrefix = tablePrefix;
    return this;
  }

  /**
   * Sets the clock leases and due times are judged on. Defaults to {@link JdbcClock#DATABASE}:
   * nodes whose clocks differ still agree on when a lease expires and when a retry is due. {@link
   * JdbcClock#ENGINE} is for tests that move the engine's clock (a {@code MutableClock}) over a
   * JDBC store. (A receipt log has no leases; it ignores this.)
   *
   * @param clock the clock
   * @return this builder
   * @throws NullPointerException if clock is null
   */
  public JdbcStoreBuilder<T> clock(JdbcClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock cannot be null");
    return this;
  }

  /**
   * Sets how long one statement of the store may run before it is cancelled and the call fails with
   * a retryable {@link dev.postoffice.StoreUnavailableException} (JDBC {@code setQueryTimeout},
   * whole seconds, rounded up). A connection that gets no answer at all for twice as long (an
   * unreachable database, a black hole) is given up too (JDBC network timeout, unless the
   * connection has a shorter one already, such as the driver's {@code socketTimeout}; restored when
   * the store hands the connection back), so no store call hangs for ever, whatever the driver's
   * own {@code socketTimeout} (0, no limit, by default on PostgreSQL). Defaults to 30 seconds. Set
   * the driver's and the pool's timeouts as well: see {@code docs/stores.md}.
   *
   * @param statementTimeout at least 1 second
   * @return this builder
   * @throws IllegalArgumentException if the timeout is under 1 second
   */
  public JdbcStoreBuilder<T> statementTimeout(Duration statementTimeout) {
    Objects.requireNonNull(statementTimeout, "statementTimeout cannot be null");
    if (statementTimeout.compareTo(Duration.ofSeconds(1)) < 0
        || statementTimeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          "statementTimeout must be between 1 second and "
              + MAX_TIMEOUT.toHours()
              + " hours, but was "
              + statementTimeout);
    }
    this.statementTimeout = statementTimeout;
    return this;
  }

  /**
   * Builds it. Opens one connection to detect the dialect and the capabilities.
   *
   * @return the store
   * @throws dev.postoffice.StoreUnavailableException if the database cannot be reached
   * @throws IllegalArgumentException if the database is not supported
   */
  public T build() {
    String[] meta =
        new Transactions(jdbi, dialect == null ? JdbcDialect.H2 : dialect)
            .withHandle(
                "detect the database",
                h -> {
                  DatabaseMetaData md = h.getConnection().getMetaData();
                  return new String[] {md.getDatabaseProductName(), md.getURL()};
                });
    JdbcDialect chosen = dialect != null ? dialect : JdbcDialect.fromProductName(meta[0]);
    String url = meta[1] == null ? "" : meta[1];
    boolean embeddedH2 =
        chosen == JdbcDialect.H2
            && !url.startsWith("jdbc:h2:tcp:")
            && !url.startsWith("jdbc:h2:ssl:");
    boolean inMemory = chosen == JdbcDialect.H2 && url.startsWith("jdbc:h2:mem:");
    StoreCapabilities caps =
        StoreCapabilities.builder()
            .durable(!inMemory)
            .sharedAcrossNodes(!embeddedH2)
            .skipLocked(chosen.skipLocked())
            .operatorApi(true)
            .build();
    return factory.apply(
        new JdbcStatusStore.Config(
            jdbi, new Tables(chosen, tablePrefix), caps, clock, statementTimeout));
  }
}
