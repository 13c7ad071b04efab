package dev.postoffice.jdbc.internal;

import dev.postoffice.ConfigurationException;
import dev.postoffice.jdbc.JdbcDialect;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Applies the versioned SQL files shipped in the jar ({@code
 * dev/postoffice/jdbc/schema/<dialect>/V<n>__*.sql}) and records each in a schema-version table.
 * Several nodes may migrate at once: they serialize on a database lock (PostgreSQL advisory lock,
 * MariaDB {@code GET_LOCK}; H2, embedded, on a lock in this JVM) and every statement is {@code IF
 * NOT EXISTS}. A MariaDB before 10.6 or MySQL before 8.0.1 (no {@code SKIP LOCKED}) is refused with
 * a {@link ConfigurationException} naming its version, before anything is created.
 */
public final class Migrator {
  /** The schema files in order; version n is element n-1. */
  public static final List<String> FILES =
      List.of(
          "V1__entries.sql",
          "V2__finished_created_idx.sql",
          "V3__born_history.sql",
          "V4__operator.sql",
          "V5__compact_writes.sql");

  private static final ConcurrentMap<String, Object> H2_LOCKS = new ConcurrentHashMap<>();
  private static final int LOCK_TIMEOUT_SECONDS = 60;

  private final Tables tables;
  private final Transactions transactions;

  /**
   * Creates a migrator.
   *
   * @param tables the tables to create
   * @param transactions the transaction runner
   */
  public Migrator(Tables tables, Transactions transactions) {
    this.tables = tables;
    this.transactions = transactions;
  }

  /**
   * Returns the SQL of every version, with the prefix filled in, for a host's own migration tool.
   *
   * @return the SQL text
   */
  public String schemaSql() {
    StringBuilder out = new StringBuilder();
    for (String file : FILES) {
      out.append("-- ").append(file).append('\n').append(script(file)).append('\n');
    }
    return out.toString();
  }

  /**
   * Applies the versions not applied yet.
   *
   * @param now the time to record
   * @return how many versions were applied
   */
  public int migrate(Instant now) {
    if (tables.dialect() == JdbcDialect.H2) {
      Object lock = H2_LOCKS.computeIfAbsent(tables.prefix(), p -> new Object());
      synchronized (lock) {
        return transactions.withHandle("migrate", h -> applyPending(h.getConnection(), now));
      }
    }
    if (tables.dialect() == JdbcDialect.POSTGRESQL) {
      // Transactional DDL: the advisory lock is held until the whole migration commits.
      return transactions.inTransaction(
          "migrate",
          false,
          h -> {
            try (PreparedStatement ps =
                h.getConnection().prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
              ps.setLong(1, lockKey());
              ps.execute();
            }
            return applyPending(h.getConnection(), now);
          });
    }
    return transactions.withHandle(
        "migrate",
        h -> {
          Connection c = h.getConnection();
          requireSkipLocked(c);
          String name = "postoffice:" + c.getCatalog() + ":" + tables.prefix();
          name = name.length() > 64 ? name.substring(0, 64) : name;
          try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            ps.setString(1, name);
            ps.setInt(2, LOCK_TIMEOUT_SECONDS);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next() || rs.getInt(1) != 1) {
                throw new SQLException(
                    "could not take the migration lock '"
                        + name
                        + "' within "
                        + LOCK_TIMEOUT_SECONDS
                        + " s; another node may be stuck migrating",
                    "40001");
              }
            }
          }
          try {
            return applyPending(c, now);
          } finally {
            try (PreparedStatement ps = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
              ps.setString(1, name);
              ps.execute();
            }
          }
        });
  }

  /** Refuses a MariaDB or MySQL server too old for the claim query, before anything is created. */
  private static void requireSkipLocked(Connection c) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    Optional<String> refusal =
        ServerVersion.refusal(meta.getDatabaseProductName(), meta.getDatabaseProductVersion());
    if (refusal.isPresent()) {
      throw new ConfigurationException(List.of(refusal.get()));
    }
  }

  private int applyPending(Connection c, Instant now) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + tables.schemaVersion()
              + " (version INTEGER NOT NULL PRIMARY KEY,"
              + " description VARCHAR(200) NOT NULL, installed_at BIGINT NOT NULL)");
    }
    int current = 0;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT MAX(version) FROM " + tables.schemaVersion())) {
      if (rs.next()) {
        current = rs.getInt(1);
      }
    }
    int applied = 0;
    for (int version = current + 1; version <= FILES.size(); version++) {
      String file = FILES.get(version - 1);
      try (Statement st = c.createStatement()) {
        for (String sql : statements(script(file))) {
          st.execute(sql);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO "
                  + tables.schemaVersion()
                  + " (version, description, installed_at) VALUES (?, ?, ?)")) {
        ps.setInt(1, version);
        ps.setString(2, file);
        ps.setLong(3, Rows.nanos(now));
        ps.executeUpdate();
      }
      applied++;
    }
    return applied;
  }

  /**
   * Returns the current schema version recorded in the database, 0 if none.
   *
   * @return the version
   */
  public int currentVersion() {
    return transactions.withHandle(
        "read the schema version",
        h -> {
          try (Statement st = h.getConnection().createStatement();
              ResultSet rs =
                  st.executeQuery("SELECT MAX(version) FROM " + tables.schemaVersion())) {
            return rs.next() ? rs.getInt(1) : 0;
          }
        });
  }

  private long lockKey() {
    // A stable 64-bit key per prefix; "postoffice" in the high bits keeps clear of hosts' own small
    // keys.
    return (0x706f73746fL << 24) ^ (tables.prefix().hashCode() & 0xffffffffL);
  }

  private String script(String file) {
    String path = "dev/postoffice/jdbc/schema/" + tables.dialect().schemaFolder() + "/" + file;
    try (InputStream in = Migrator.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("schema file " + path + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("${prefix}", tables.prefix());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema file " + path, e);
    }
  }

  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String sql = current.toString().strip();
        out.add(sql.substring(0, sql.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }
}
