package dev.postoffice.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.model.RouteId;
import dev.postoffice.model.TraceId;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TraceHeaders")
class TraceHeadersTest {
  static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  static final RouteId ROUTE = RouteId.of("acme-orders");

  @Test
  @DisplayName("takes the trace id of a valid traceparent only")
  void received() {
    assertThat(TraceHeaders.received(Map.of("traceparent", TRACEPARENT), ROUTE))
        .isEqualTo(TraceId.of("4bf92f3577b34da6a3ce929d0e0e4736"));
    assertThat(TraceHeaders.received(Map.of("traceparent", "00-zz"), ROUTE)).isNull();
    assertThat(TraceHeaders.received(Map.of("x-other", "1"), ROUTE)).isNull();
    assertThat(TraceHeaders.received(Map.of(), ROUTE)).isNull();
  }

  @Test
  @DisplayName("gives outputs their source's trace context unless they set their own")
  void inherit() {
    Map<String, String> source = Map.of("traceparent", TRACEPARENT, "tracestate", "rojo=1");
    Map<String, String> plain = Map.of("x-kind", "line");
    assertThat(TraceHeaders.inherit(source, plain))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("x-kind", "line", "traceparent", TRACEPARENT, "tracestate", "rojo=1"));
    Map<String, String> own = Map.of("traceparent", "mine", "tracestate", "mine=1");
    assertThat(TraceHeaders.inherit(source, own)).isSameAs(own);
    assertThat(TraceHeaders.inherit(Map.of(), plain)).isSameAs(plain);
  }

  @Test
  @DisplayName("sends a new span of the trace, and drops both headers for an id that cannot be W3C")
  void propagate() {
    Map<String, String> received = Map.of("traceparent", TRACEPARENT, "tracestate", "rojo=1");
    Map<String, String> out = new HashMap<>(received);
    TraceHeaders.propagate(TraceId.of("4bf92f3577b34da6a3ce929d0e0e4736"), received, out);
    assertThat(out.get("traceparent"))
        .matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01")
        .isNotEqualTo(TRACEPARENT);
    assertThat(out).containsEntry("tracestate", "rojo=1");

    out = new HashMap<>(received);
    TraceHeaders.propagate(TraceId.of("order-17"), received, out);
    assertThat(out).doesNotContainKeys("traceparent", "tracestate");
  }
}
