package dev.postoffice.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A stored entry's history, kept flat, reads back as the records of its changes. */
class StoredEntryTest {
  private static final Instant T0 = StoredEntries.T0;

  private static StoredEntry rec() {
    return StoredEntries.stored(EntryId.random(), TraceId.random(), 0);
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
