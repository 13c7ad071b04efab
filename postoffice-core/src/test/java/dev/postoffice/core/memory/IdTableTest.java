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

/**
 * The id table finds, adds and removes entries as a map by id would, through growth and collisions.
 */
class IdTableTest {

  private final IdTable table = new IdTable();
  private long seq;

  private StoredEntry rec(String id) {
    return StoredEntries.stored(EntryId.of(id), TraceId.random(), seq++);
  }

  @Test
  @DisplayName("ids whose hashes collide are told apart, and one removed leaves the others")
  void collisions() {
    // "Aa" and "BB" (and their concatenations) have the same String hash.
    StoredEntry a = rec("AaAa");
    StoredEntry b = rec("AaBB");
    StoredEntry c = rec("BBAa");
    StoredEntry d = rec("BBBB");
    for (StoredEntry r : List.of(a, b, c, d)) {
      assertThat(table.putIfAbsent(r)).isNull();
    }
    assertThat(table.putIfAbsent(rec("BBAa"))).as("the id is there").isSameAs(c);
    assertThat(table.size()).isEqualTo(4);

    assertThat(table.remove(b)).isTrue();
    assertThat(table.remove(b)).as("already removed").isFalse();
    assertThat(table.get(EntryId.of("AaBB"))).isNull();
    assertThat(table.get(EntryId.of("AaAa"))).isSameAs(a);
    assertThat(table.get(EntryId.of("BBAa"))).isSameAs(c);
    assertThat(table.get(EntryId.of("BBBB"))).isSameAs(d);
    assertThat(table).containsExactlyInAnyOrder(a, c, d);
    assertThat(table.remove(rec("AaAa"))).as("another entry with a stored id").isFalse();
    assertThat(table.get(EntryId.of("AaAa"))).isSameAs(a);
  }

  @Test
  @DisplayName("through growth and random adds and removals it holds what a HashMap holds")
  void likeAMap() {
    Map<EntryId, StoredEntry> expected = new HashMap<>();
    List<StoredEntry> added = new ArrayList<>();
    Random random = new Random(42);
    for (int round = 0; round < 20_000; round++) {
      if (added.isEmpty() || random.nextInt(3) > 0) {
        StoredEntry r = rec("id-" + random.nextInt(15_000));
        StoredEntry there = table.putIfAbsent(r);
        assertThat(there).isSameAs(expected.get(r.entry.id()));
        if (there == null) {
          expected.put(r.entry.id(), r);
          added.add(r);
        }
      } else {
        StoredEntry r = added.remove(random.nextInt(added.size()));
        assertThat(table.remove(r)).isTrue();
        expected.remove(r.entry.id());
      }
    }
    assertThat(table.size()).isEqualTo(expected.size());
    for (Map.Entry<EntryId, StoredEntry> e : expected.entrySet()) {
      assertThat(table.get(e.getKey())).isSameAs(e.getValue());
    }
    assertThat(table.get(EntryId.of("id-absent"))).isNull();
    assertThat(table).containsExactlyInAnyOrderElementsOf(expected.values());
  }
}
