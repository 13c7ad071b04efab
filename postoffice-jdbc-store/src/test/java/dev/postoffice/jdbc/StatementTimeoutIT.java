package dev.postoffice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.model.Direction;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.NewEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store bounds every statement (issue 16, defect 7): one stuck on a lock held elsewhere (as one
 * stuck on an unreachable database) fails with a retryable {@link StoreUnavailableException} after
 * the statement timeout, instead of hanging the caller for ever.
 */
class StatementTimeoutIT {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = JdbcDialect.class,
      names = {"POSTGRESQL", "MARIADB"})
  @DisplayName(
      "a statement that waits longer than the statement timeout fails with StoreUnavailableException")
  void stuckStatementFails(JdbcDialect dialect) throws Exception {
    try (TestDatabase db =
        dialect == JdbcDialect.POSTGRESQL ? TestDatabase.postgres() : TestDatabase.mariaDb()) {
      JdbcStatusStore store =
          JdbcStatusStore.builder(db.dataSource)
              .tablePrefix(db.prefix)
              .statementTimeout(Duration.ofSeconds(1))
              .build();
      store.migrate();
      NewEntry n =
          new NewEntry(
              EntryId.random(),
              RouteId.of("timeout"),
              Direction.UPSTREAM,
              Layer.L1,
              Payload.json("{}"),
              Map.of(),
              null,
              TraceId.random(),
              null,
              "test@1",
              null);
      store.intake(List.of(n), NOW);
      try (Connection locker = db.dataSource.getConnection()) {
        locker.setAutoCommit(false);
        try (PreparedStatement ps =
            locker.prepareStatement(
                "SELECT id FROM " + db.prefix + "entry WHERE id = ? FOR UPDATE")) {
          ps.setString(1, n.id().value());
          ps.executeQuery().close();
        }
        long started = System.nanoTime();
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () ->
                assertThatThrownBy(
                        () ->
                            store.transition(
                                n.id(), Set.of(Status.JUST_IN), Status.FAILED, "operator", NOW))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("statement timeout of 1 s"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        locker.rollback();
      }
      // Nothing was changed, and the store works once the lock is gone.
      assertThat(store.find(n.id()).orElseThrow().status()).isEqualTo(Status.JUST_IN);
      assertThat(store.transition(n.id(), Set.of(Status.JUST_IN), Status.FAILED, "operator", NOW))
          .isPresent();
    }
  }

  @Test
  @DisplayName("the statement timeout is at least a second, and its default is 30 seconds")
  void bounds() {
    assertThat(JdbcStoreBuilder.DEFAULT_STATEMENT_TIMEOUT).isEqualTo(Duration.ofSeconds(30));
    TestDatabase h2 = TestDatabase.h2();
    assertThatThrownBy(
            () -> JdbcStatusStore.builder(h2.dataSource).statementTimeout(Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("statementTimeout must be between 1 second and 24 hours, but was PT0.5S");
  }
}
