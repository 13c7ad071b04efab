package dev.postoffice.core.internal.stage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.DispatchResult;
import dev.postoffice.Dispatcher;
import dev.postoffice.PartnerRequest;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.internal.route.EngineContext;
import dev.postoffice.core.internal.route.StoredRequest;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.support.TestClock;
import dev.postoffice.event.PipelineListener;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.ClaimRequest;
import dev.postoffice.spi.NewEntry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How the dispatch stage confirms its leases before partner calls (issue 16, defect 10). */
class LeaseGuardTest {
  private static final RouteId ROUTE = RouteId.of("shipments");
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final TestClock clock = TestClock.at("2030-01-01T00:00:00Z");
  private final InMemoryStatusStore store = InMemoryStatusStore.create();
  private final JacksonCodec codec = JacksonCodec.create();
  private final List<EntryId> called = new ArrayList<>();
  private final Dispatcher partner =
      (request, context) -> {
        called.add(context.entryId());
        return new DispatchResult(201, "{}");
      };
  private final EngineContext ctx =
      new EngineContext(
          "node-a",
          store,
          null,
          codec,
          clock,
          PipelineListener.EMPTY,
          "acks",
          true,
          Duration.ofSeconds(1));
  private final DispatchLogic dispatch =
      new DispatchLogic(partner, codec, new LeaseGuard(ctx, ROUTE, LEASE));

  /**
   * Stores a request leased to node-a, as the stage before hands it over in memory; returns that
   * copy.
   */
  private Entry handedOver() {
    NewEntry n =
        new NewEntry(
            EntryId.random(),
            ROUTE,
            Direction.DOWNSTREAM,
            Layer.L1,
            StoredRequest.encode(
                new PartnerRequest("POST", URI.create("https://acme.example/"), Map.of(), null),
                codec),
            Map.of(),
            null,
            TraceId.random(),
            null,
            "normalize@1",
            new Lease("node-a", clock.instant().plus(LEASE)));
    store.intake(List.of(n), clock.instant());
    return store.find(n.id()).orElseThrow();
  }

  @Test
  @DisplayName(
      "calls once for an entry that is in a batch twice: a stale copy and this node's newer claim")
  void sameEntryTwice() {
    Entry stale = handedOver();
    clock.advance(
        LEASE); // the copy waited in memory past its lease; this node claims the entry again
    Entry claimed =
        store.claim(new ClaimRequest(ROUTE, Layer.L1, 10, "node-a", LEASE, clock.instant())).get(0);
    assertThat(claimed.attempts()).isGreaterThan(stale.attempts());

    List<Outcome> outcomes = dispatch.work(List.of(claimed, stale));
    assertThat(called).containsExactly(claimed.id());
    assertThat(outcomes.get(1).failure()).isInstanceOf(LeaseLost.class);

    called.clear();
    dispatch.work(List.of(stale, claimed));
    assertThat(called).containsExactly(claimed.id());
  }

  @Test
  @DisplayName(
      "makes no store call while the batch's leases are fresh, and renews them once they are not")
  void renewsOnlyWhenNeeded() {
    Entry a = handedOver();
    Entry b = handedOver();
    clock.advance(LEASE.dividedBy(4));
    dispatch.work(List.of(a, b));
    assertThat(store.find(a.id()).orElseThrow().lease().expiresAt())
        .isEqualTo(a.lease().expiresAt());

    Entry c = handedOver();
    clock.advance(LEASE.dividedBy(2));
    dispatch.work(List.of(c));
    assertThat(called).containsExactly(a.id(), b.id(), c.id());
    assertThat(store.find(c.id()).orElseThrow().lease().expiresAt())
        .isEqualTo(clock.instant().plus(LEASE));
  }
}
