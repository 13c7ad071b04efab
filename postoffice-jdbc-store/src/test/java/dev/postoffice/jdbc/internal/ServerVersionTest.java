package dev.postoffice.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("The server version check of MariaDB and MySQL (SKIP LOCKED)")
class ServerVersionTest {
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "MariaDB, 10.6.0-MariaDB",
    "MariaDB, 10.11.19-MariaDB",
    "MariaDB, 10.6.12-MariaDB-1:10.6.12+maria~ubu2004",
    "MariaDB, 11.4.2-MariaDB",
    "MySQL, 5.5.5-10.6.12-MariaDB",
    "MySQL, 8.0.1",
    "MySQL, 8.0.35",
    "MySQL, 8.4.0-commercial",
    "MariaDB, 8.0.35",
    "MySQL, 9.1.0"
  })
  @DisplayName("accepts MariaDB 10.6 and later and MySQL 8.0.1 and later")
  void accepts(String product, String version) {
    assertThat(ServerVersion.refusal(product, version)).isEmpty();
  }

  @Test
  @DisplayName("refuses MariaDB before 10.6, naming the version and what it lacks")
  void refusesOldMariaDb() {
    assertThat(ServerVersion.refusal("MariaDB", "10.5.8-MariaDB-1:10.5.8+maria~focal"))
        .contains(
            "MariaDB 10.5.8 cannot run the JDBC store: it needs MariaDB 10.6 or later, for SELECT ... SKIP LOCKED in"
                + " claims (the server reported '10.5.8-MariaDB-1:10.5.8+maria~focal') [Hint: upgrade the server to"
                + " MariaDB 10.6+, or use MySQL 8.0.1+ or PostgreSQL 12+]");
    assertThat(ServerVersion.refusal("MariaDB", "10.3.39-MariaDB"))
        .get()
        .asString()
        .startsWith("MariaDB 10.3.39 cannot run");
  }

  @Test
  @DisplayName("recognises MariaDB behind the 5.5.5- prefix some drivers report")
  void mariaDbBehindReplicationPrefix() {
    assertThat(ServerVersion.refusal("MySQL", "5.5.5-10.4.32-MariaDB"))
        .get()
        .asString()
        .startsWith("MariaDB 10.4.32 cannot run");
  }

  @Test
  @DisplayName("refuses MySQL before 8.0.1")
  void refusesOldMySql() {
    assertThat(ServerVersion.refusal("MySQL", "5.7.44"))
        .contains(
            "MySQL 5.7.44 cannot run the JDBC store: it"
                + " needs MySQL 8.0.1 or later, for SELECT ... SKIP LOCKED in claims (the server reported '5.7.44')"
                + " [Hint: upgrade the server to MySQL 8.0.1+, or use MariaDB 10.6+ or PostgreSQL 12+]");
    assertThat(ServerVersion.refusal("MySQL", "8.0.0-dmr"))
        .get()
        .asString()
        .startsWith("MySQL 8.0.0 cannot run");
  }

  @Test
  @DisplayName("lets a version it cannot read pass (the claim query then says what is wrong)")
  void unreadable() {
    assertThat(ServerVersion.refusal("MariaDB", "dev-build")).isEmpty();
    assertThat(ServerVersion.refusal("MariaDB", null)).isEmpty();
  }
}
