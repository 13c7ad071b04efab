package dev.postoffice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.ConfigurationException;
import dev.postoffice.coreapp.jdbc.JdbcReceiptLog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Core App's {@link JdbcReceiptLog} and its one table: its migration creates that table and
 * nothing else, it takes over the table PostOffice's store created under the same prefix, and a log
 * whose prefix matches no table fails {@code verify()} naming the table and the fix. Run on each
 * database by a subclass.
 */
abstract class ReceiptLogTableCases {
  private TestDatabase db;
  private final List<TestDatabase> others = new ArrayList<>();

  /** Opens the database (a new one, or new prefixes on a shared one). */
  abstract TestDatabase open();

  @BeforeEach
  void setUp() {
    db = open();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (TestDatabase other : others) {
      other.dropTables();
    }
    db.close();
  }

  private TestDatabase otherPrefix() {
    TestDatabase other =
        new TestDatabase(
            db.dialect,
            db.dataSource,
            "o" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_");
    others.add(other);
    return other;
  }

  @Test
  @DisplayName("migrate() creates the receipt table and no other table, once")
  void migrateCreatesOnlyItsTable() throws SQLException {
    JdbcReceiptLog log = JdbcReceiptLog.builder(db.dataSource).tablePrefix(db.prefix).build();

    assertThat(log.migrate()).as("created").isTrue();
    assertThat(tablesWithPrefix(db.prefix)).containsExactly(db.prefix + "receipt");
    assertThat(log.migrate()).as("second migrate finds it").isFalse();
    log.verify();

    log.markHandled("orders", "m-1", Instant.now());
    assertThat(log.isHandled("orders", "m-1")).isTrue();
  }

  @Test
  @DisplayName("a log with the store's prefix uses the receipt table the store's migration made")
  void reusesTheStoresTable() {
    db.migratedStore();
    JdbcReceiptLog log = JdbcReceiptLog.builder(db.dataSource).tablePrefix(db.prefix).build();

    log.verify();
    assertThat(log.migrate()).as("nothing to create").isFalse();
    log.markAllHandled("orders", List.of("m-1", "m-2"), Instant.now());
    assertThat(log.handledAmong("orders", List.of("m-1", "m-2", "m-3")))
        .containsExactlyInAnyOrder("m-1", "m-2");
  }

  @Test
  @DisplayName("verify() fails naming the missing table, when the prefix is not the migrated one")
  void verifyNamesTheMissingTable() {
    db.migratedStore();
    TestDatabase wrong = otherPrefix();
    JdbcReceiptLog log = JdbcReceiptLog.builder(db.dataSource).tablePrefix(wrong.prefix).build();

    assertThatThrownBy(log::verify)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("the receipt table '" + wrong.prefix + "receipt' does not exist")
        .hasMessageContaining("call JdbcReceiptLog.migrate()")
        .hasMessageContaining(
            "the table prefix must match the one the Core App's receipt log was migrated with");
  }

  private List<String> tablesWithPrefix(String prefix) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = db.dataSource.getConnection();
        ResultSet rs =
            c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        String name = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
        if (name.startsWith(prefix)) {
          names.add(name);
        }
      }
    }
    return names;
  }
}
