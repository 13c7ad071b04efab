package dev.postoffice.core.internal;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

@DisplayName("Mdc")
class MdcTest {
  @AfterEach
  void clear() {
    MDC.clear();
  }

  private static Entry entry(String id, String trace) {
    return Entry.builder()
        .id(EntryId.of(id))
        .route(RouteId.of("acme-orders"))
        .direction(Direction.UPSTREAM)
        .layer(Layer.L2)
        .status(Status.JUST_IN)
        .createdAt(Instant.EPOCH)
        .updatedAt(Instant.EPOCH)
        .payload(Payload.json("{}"))
        .traceId(TraceId.of(trace))
        .build();
  }

  @Test
  @DisplayName(
      "puts the entry's keys while open and then restores the host's values, not removes them")
  void restoresTheHostsValues() {
    MDC.put("traceId", "host-trace");
    MDC.put("unrelated", "kept");
    try (Mdc outer = Mdc.of(entry("e-1", "t-1"))) {
      assertThat(MDC.get("traceId")).isEqualTo("t-1");
      assertThat(MDC.get("entryId")).isEqualTo("e-1");
      assertThat(MDC.get("layer")).isEqualTo("L2");
      try (Mdc inner = Mdc.of(entry("e-2", "t-2"))) {
        assertThat(MDC.get("entryId")).isEqualTo("e-2");
      }
      assertThat(MDC.get("traceId")).isEqualTo("t-1");
      assertThat(MDC.get("entryId")).isEqualTo("e-1");
    }
    assertThat(MDC.get("traceId")).isEqualTo("host-trace");
    assertThat(MDC.get("unrelated")).isEqualTo("kept");
    assertThat(MDC.get("entryId")).isNull();
    assertThat(MDC.get("route")).isNull();
  }
}
