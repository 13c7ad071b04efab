package dev.postoffice.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.model.EntryId;
import dev.postoffice.model.TraceId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The trace roots table holds what a map of lists by trace would, through growth and removals. */
class TraceRootsTest {

  private static StoredEntry rec(TraceId traceId) {
    return StoredEntries.stored(EntryId.random(), traceId, 0);
  }

  @Test
  @DisplayName("through growth and random adds and removals each trace lists exactly its roots")
  void likeAMapOfLists() {
    TraceRoots roots = new TraceRoots();
    Map<TraceId, List<StoredEntry>> expected = new HashMap<>();
    List<StoredEntry> held = new ArrayList<>();
    List<TraceId> traces = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      traces.add(TraceId.random());
    }
    Random random = new Random(7);
    for (int round = 0; round < 10_000; round++) {
      if (held.isEmpty() || random.nextInt(3) > 0) {
        StoredEntry r = rec(traces.get(random.nextInt(traces.size())));
        roots.add(r);
        held.add(r);
        expected.computeIfAbsent(r.entry.traceId(), k -> new ArrayList<>()).add(r);
      } else {
        StoredEntry r = held.remove(random.nextInt(held.size()));
        assertThat(roots.remove(r)).isTrue();
        assertThat(roots.remove(r)).isFalse();
        expected.get(r.entry.traceId()).remove(r);
      }
    }
    assertThat(roots.size()).isEqualTo(held.size());
    for (TraceId trace : traces) {
      List<StoredEntry> found = new ArrayList<>();
      roots.collect(trace, found);
      assertThat(found)
          .containsExactlyInAnyOrderElementsOf(expected.getOrDefault(trace, List.of()));
    }
  }
}
