package dev.postoffice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postoffice.spi.StatusStore;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The console on a JDBC store: the store's own cursors, filters in SQL, replay jobs in its tables.
 * Subclasses give the database.
 */
abstract class JdbcConsoleContract {
  static final String OP = Shop.OPERATOR_TOKEN;

  Shop shop;
  Console console;

  /** Returns a fresh store on the subclass's database. */
  abstract StatusStore createStore();

  /** Drops what {@link #createStore()} made. */
  abstract void dropStore();

  @BeforeEach
  void start() {
    shop = Shop.manual(createStore());
    for (int i = 1; i <= 4; i++) {
      shop.good("g-" + i);
    }
    for (int i = 1; i <= 6; i++) {
      shop.renamed("r-" + i);
    }
    shop.drain();
    console = Console.of(shop);
  }

  @AfterEach
  void stop() {
    console.close();
    shop.close();
    dropStore();
  }

  @Test
  @DisplayName("lists, filters, pages and looks up with the store's own queries")
  void reading() {
    assertThat(
            console
                .get("entries/count?route=acme-orders&status=REJECTED&error=CURRENCY", OP)
                .json()
                .path("count")
                .asLong())
        .isEqualTo(6);
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int total = console.get("entries/count", OP).json().path("count").asInt();
    boolean added = false;
    do {
      JsonNode page =
          console.get("entries?limit=5" + (cursor == null ? "" : "&cursor=" + cursor), OP).json();
      page.path("entries").forEach(e -> assertThat(seen.add(e.path("id").asText())).isTrue());
      cursor = page.path("next").isNull() ? null : page.path("next").asText();
      if (!added) {
        shop.good("late");
        shop.drain();
        added = true;
      }
    } while (cursor != null);
    assertThat(seen).hasSize(total);
    JsonNode match = console.get("lookup?deliveryId=wh-r-2", OP).json().path("matches").get(0);
    assertThat(match.path("entry").path("layer").asText()).isEqualTo("L1");
    JsonNode route = console.get("routes", OP).json().path("routes").get(0);
    assertThat(route.path("needsOperator").asLong()).isEqualTo(6);
  }

  @Test
  @DisplayName("bulk-replays after the fix, records who asked, and pauses through the store")
  void changing() {
    shop.fixTranslator();
    String job =
        console
            .post(
                "replays",
                OP,
                "{\"route\":\"acme-orders\",\"status\":\"REJECTED\",\"reason\":\"fixed\",\"expectedCount\":6}")
            .text("id");
    shop.drain();
    JsonNode done = console.get("replays/" + job, OP).json();
    assertThat(done.path("state").asText()).isEqualTo("DONE");
    assertThat(done.path("replayed").asLong()).isEqualTo(6);
    assertThat(
            console
                .get("entries/count?layer=L4&status=ACKNOWLEDGED", OP)
                .json()
                .path("count")
                .asLong())
        .isEqualTo(10);
    assertThat(console.post("routes/acme-orders/pause", OP, "{}").json().path("pausedBy").asText())
        .isEqualTo("olivia");
    assertThat(
            console.post("routes/acme-orders/resume", OP, "{}").json().path("paused").asBoolean())
        .isFalse();
  }
}
