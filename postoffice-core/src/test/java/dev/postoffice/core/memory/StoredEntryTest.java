package dev.postoffice.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A stored entry's history, kept flat, reads back as the records of its changes. */
class StoredEntryTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final RouteId ROUTE = RouteId.of("acme-orders");

  private static StoredEntry rec() {
    Entry e =
        Entry.builder()
            .id(EntryId.random())
            .route(ROUTE)
            .direction(Direction.UPSTREAM)
            .layer(Layer.L1)
            .status(Status.JUST_IN)
            .payload(Payload.json("{}"))
            .headers(Map.of())
            .traceId(TraceId.random())
            .producedBy("test")
            .createdAt(T0)
            .updatedAt(T0)
            .build();
    return new StoredEntry(0, e, null, new Lane(ROUTE, Layer.L1));
  }

  @Test
  @DisplayName("every change reads back, in order, with its statuses, time and detail")
  void history() {
    StoredEntry rec = rec();
    assertThat(rec.history()).isEmpty();
    List<HistoryRecord> expected = new ArrayList<>();
    Status from = null;
    Status[] statuses = Status.values();
    for (int i = 0; i < 3 * statuses.length; i++) { // enough to grow the array several times
      Status to = statuses[(i * 7) % statuses.length];
      Instant at = T0.plusMillis(i);
      String detail = i % 3 == 0 ? null : "change " + i;
      rec.recordChange(from, to, at, detail);
      expected.add(new HistoryRecord(rec.entry.id(), from, to, at, detail));
      assertThat(rec.history()).containsExactlyElementsOf(expected);
      from = i % 5 == 4 ? null : to; // a from that is not the last to reads back as given
    }
  }

  @Test
  @DisplayName("refuses a change without a status or a time, as a history record does")
  void required() {
    StoredEntry rec = rec();
    assertThatThrownBy(() -> rec.recordChange(null, null, T0, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("to cannot be null");
    assertThatThrownBy(() -> rec.recordChange(null, Status.JUST_IN, null, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("at cannot be null");
    assertThat(rec.history()).isEmpty();
  }
}
