package dev.postoffice.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The status lists' scans when changes arrive slightly out of time order, as they do from several
 * threads.
 */
class LaneTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final RouteId ROUTE = RouteId.of("acme-orders");

  private final Lane lane = new Lane(ROUTE, Layer.L1);
  private final List<StoredEntry> listed = new ArrayList<>();

  private StoredEntry list(Instant updatedAt) {
    Entry entry =
        Entry.builder()
            .id(EntryId.random())
            .route(ROUTE)
            .direction(Direction.UPSTREAM)
            .layer(Layer.L1)
            .status(Status.PROCESSED)
            .payload(Payload.json("{}"))
            .headers(Map.of())
            .traceId(TraceId.random())
            .producedBy("test")
            .createdAt(updatedAt)
            .updatedAt(updatedAt)
            .build();
    StoredEntry rec = new StoredEntry(listed.size(), entry, null, lane);
    lane.list(rec);
    listed.add(rec);
    return rec;
  }

  /**
   * What a caller of collect ends up with: sorted by change time (then id) and cut to the limit.
   */
  private static List<StoredEntry> page(List<StoredEntry> recs, Instant before, int limit) {
    return recs.stream()
        .filter(r -> before == null || r.entry.updatedAt().isBefore(before))
        .sorted(
            Comparator.comparing((StoredEntry r) -> r.entry.updatedAt())
                .thenComparing(r -> r.entry.id().value()))
        .limit(limit)
        .toList();
  }

  @Test
  @DisplayName(
      "a change listed a little out of order bounds the scan by its slack instead of making it read all")
  void slightDisorderKeepsScansShort() {
    for (int i = 0; i < 10_000; i++) {
      // Every hundredth change is listed 3 µs below the one before it, as when another thread read
      // the clock
      // first and took the lock second.
      list(T0.plusNanos(i * 10_000L - (i % 100 == 0 ? 13_000 : 0)));
    }
    assertThat(lane.slackNanos(Status.PROCESSED)).isEqualTo(3_000);

    List<StoredEntry> out = new ArrayList<>();
    lane.collect(Status.PROCESSED, T0.plusNanos(505 * 10_000L), 10_000, true, out);
    assertThat(out).as("only entries changed before the bound, not the whole list").hasSize(505);

    out.clear();
    lane.collect(Status.PROCESSED, null, 10, true, out);
    assertThat(out).hasSizeLessThanOrEqualTo(11);
    assertThat(page(out, null, 10)).isEqualTo(page(listed, null, 10));
  }

  @Test
  @DisplayName(
      "collect finds every entry a sorted page needs, whatever the disorder within the slack")
  void collectIsExactAfterSortAndCut() {
    Random random = new Random(42);
    for (int i = 0; i < 3_000; i++) {
      list(T0.plusNanos(i * 1_000L - random.nextInt(50_000)));
    }
    for (int round = 0; round < 200; round++) {
      Instant before = random.nextBoolean() ? null : T0.plusNanos(random.nextInt(3_100_000));
      int limit = 1 + random.nextInt(400);
      List<StoredEntry> out = new ArrayList<>();
      lane.collect(Status.PROCESSED, before, limit, true, out);
      assertThat(page(out, before, limit))
          .as("before %s, limit %d", before, limit)
          .isEqualTo(page(listed, before, limit));
    }
  }

  @Test
  @DisplayName(
      "entries changed at one instant (a batch) are all read for a sorted page, and not for a purge")
  void tiesOnlyForPages() {
    for (int i = 0; i < 1_000; i++) {
      list(T0);
    }
    List<StoredEntry> page = new ArrayList<>();
    lane.collect(Status.PROCESSED, null, 10, true, page);
    assertThat(page).hasSize(1_000);
    List<StoredEntry> purge = new ArrayList<>();
    lane.collect(Status.PROCESSED, T0.plusSeconds(1), 10, false, purge);
    assertThat(purge).hasSize(10);
  }

  @Test
  @DisplayName(
      "a clock set back by minutes makes the list unordered: scans read it whole and stay exact")
  void clockSetBackFarReadsWhole() {
    for (int i = 0; i < 100; i++) {
      list(T0.plusSeconds(600 + i));
    }
    list(T0);
    assertThat(lane.slackNanos(Status.PROCESSED)).isEqualTo(Lane.UNBOUNDED);
    List<StoredEntry> out = new ArrayList<>();
    lane.collect(Status.PROCESSED, T0.plusSeconds(1), 5, true, out);
    assertThat(out).extracting(r -> r.entry.updatedAt()).containsExactly(T0);
  }

  @Test
  @DisplayName("an emptied list forgets its slack")
  void emptiedListForgetsSlack() {
    StoredEntry late = list(T0.plusSeconds(1));
    StoredEntry early = list(T0);
    assertThat(lane.slackNanos(Status.PROCESSED)).isEqualTo(1_000_000_000L);
    lane.unlist(late);
    lane.unlist(early);
    assertThat(lane.slackNanos(Status.PROCESSED)).isZero();
  }
}
