package dev.postoffice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.RawMessage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("TraceParent")
class TraceParentTest {
  /** The examples of https://www.w3.org/TR/trace-context/ (traceparent and tracestate). */
  static final String SPEC = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  static final String SPEC_NOT_SAMPLED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";
  static final String SPEC_STATE = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";

  @Nested
  @DisplayName("parses")
  class Parsing {
    @Test
    @DisplayName("the specification's examples, sampled and not, and formats them back unchanged")
    void specExamples() {
      TraceParent sampled = TraceParent.parse(SPEC).orElseThrow();
      assertThat(sampled.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(sampled.parentId()).isEqualTo("00f067aa0ba902b7");
      assertThat(sampled.isSampled()).isTrue();
      assertThat(sampled.format()).isEqualTo(SPEC);
      assertThat(sampled.toTraceId()).isEqualTo(TraceId.of("4bf92f3577b34da6a3ce929d0e0e4736"));
      TraceParent notSampled = TraceParent.parse(SPEC_NOT_SAMPLED).orElseThrow();
      assertThat(notSampled.isSampled()).isFalse();
      assertThat(notSampled.format()).isEqualTo(SPEC_NOT_SAMPLED);
      assertThat(TraceParent.parse("  " + SPEC + " ")).contains(sampled);
    }

    @Test
    @DisplayName(
        "a later version when its first 55 characters parse, keeping only the sampled flag")
    void futureVersions() {
      assertThat(TraceParent.parse("cc" + SPEC.substring(2, 53) + "03-what-comes-next"))
          .contains(new TraceParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 0x01));
      assertThat(TraceParent.parse("01" + SPEC.substring(2))).isPresent();
      assertThat(TraceParent.parse("01" + SPEC.substring(2) + "x")).isEmpty();
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(
        strings = {
          "",
          "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
          "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",
          "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-010",
          "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
          "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
          "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
          "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
          "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
          "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x",
          "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
          "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",
          "00-4bf92f3577b34da6a3ce929d0e0e47３6-00f067aa0ba902b7-01"
        })
    @DisplayName("nothing from a malformed, all-zero, uppercase or version ff header")
    void invalid(String header) {
      assertThat(TraceParent.parse(header)).isEmpty();
    }

    @Test
    @DisplayName("nothing from null")
    void absent() {
      assertThat(TraceParent.parse(null)).isEmpty();
    }
  }

  @Nested
  @DisplayName("for a message PostOffice sends")
  class Outgoing {
    @Test
    @DisplayName("keeps the received trace-id and flags with a new span id, and the tracestate")
    void continuesTheReceivedTrace() {
      Map<String, String> received =
          Map.of(TraceParent.HEADER, SPEC_NOT_SAMPLED, TraceParent.STATE_HEADER, SPEC_STATE);
      TraceId trace = TraceId.of("4bf92f3577b34da6a3ce929d0e0e4736");
      TraceParent next = TraceParent.next(trace, received).orElseThrow();
      assertThat(next.traceId()).isEqualTo(trace.value());
      assertThat(next.parentId()).isNotEqualTo("00f067aa0ba902b7").hasSize(16);
      assertThat(next.flags()).isZero();
      assertThat(TraceParent.tracestate(trace, received)).contains(SPEC_STATE);
    }

    @Test
    @DisplayName("is sampled and drops a tracestate that came with another trace or none")
    void startsItsOwn() {
      TraceId own = TraceId.random();
      TraceParent next =
          TraceParent.next(
                  own,
                  Map.of(
                      TraceParent.HEADER, SPEC_NOT_SAMPLED, TraceParent.STATE_HEADER, SPEC_STATE))
              .orElseThrow();
      assertThat(next.format()).isEqualTo("00-" + own.value() + "-" + next.parentId() + "-01");
      assertThat(
              TraceParent.tracestate(
                  own,
                  Map.of(
                      TraceParent.HEADER, SPEC_NOT_SAMPLED, TraceParent.STATE_HEADER, SPEC_STATE)))
          .isEmpty();
      assertThat(TraceParent.tracestate(own, Map.of(TraceParent.STATE_HEADER, SPEC_STATE)))
          .isEmpty();
    }

    @Test
    @DisplayName("writes an older 36-character trace id without dashes, and leaves other ids out")
    void olderIds() {
      TraceId old = TraceId.of("0190A4F2-7C3E-7A11-8E2F-5B6C7D8E9F00");
      assertThat(TraceParent.w3cTraceId(old)).contains("0190a4f27c3e7a118e2f5b6c7d8e9f00");
      assertThat(TraceParent.next(old, Map.of()).orElseThrow().traceId())
          .isEqualTo("0190a4f27c3e7a118e2f5b6c7d8e9f00");
      assertThat(TraceParent.next(TraceId.of("order-17"), Map.of())).isEmpty();
      assertThat(TraceParent.w3cTraceId(TraceId.of("00000000-0000-0000-0000-000000000000")))
          .isEmpty();
    }

    @Test
    @DisplayName("makes span ids of 16 lowercase hex characters that do not repeat")
    void spanIds() {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < 1000; i++) {
        String id = TraceParent.randomSpanId();
        assertThat(id).matches("[0-9a-f]{16}").isNotEqualTo("0000000000000000");
        seen.add(id);
      }
      assertThat(seen).hasSize(1000);
    }
  }

  @Test
  @DisplayName("new trace ids are W3C trace-ids: the time-ordered UUID's 32 lowercase hex digits")
  void newTraceIds() {
    TraceId id = TraceId.random();
    assertThat(id.value()).matches("[0-9a-f]{32}");
    assertThat(TraceParent.w3cTraceId(id)).contains(id.value());
    UUID uuid =
        UUID.fromString(
            id.value().replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5"));
    assertThat(uuid.version()).isEqualTo(7);
    assertThat(uuid.getMostSignificantBits() >>> 16)
        .isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis() + 1);
    assertThat(TraceId.of("0190a4f2-7c3e-7a11-8e2f-5b6c7d8e9f00").value()).hasSize(36);
  }

  @Test
  @DisplayName("refuses invalid fields with the rule and the value")
  void checks() {
    assertThatThrownBy(() -> new TraceParent("abc", "00f067aa0ba902b7", 1))
        .hasMessage("traceId must be 32 lowercase hex characters, not all zeros, but was 'abc'");
    assertThatThrownBy(
            () -> new TraceParent("4bf92f3577b34da6a3ce929d0e0e4736", "0000000000000000", 1))
        .hasMessage(
            "parentId must be 16 lowercase hex characters, not all zeros, but was"
                + " '0000000000000000'");
    assertThatThrownBy(
            () -> new TraceParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 256))
        .hasMessage("flags must be between 0 and 255, but was 256");
  }

  @Test
  @DisplayName("travels on a RawMessage as its two headers")
  void rawMessage() {
    RawMessage m = RawMessage.json("{}", null).withTraceContext(SPEC, SPEC_STATE);
    assertThat(m.headers())
        .containsEntry(TraceParent.HEADER, SPEC)
        .containsEntry(TraceParent.STATE_HEADER, SPEC_STATE);
    assertThat(RawMessage.json("{}", null).withTraceContext(null, null).headers()).isEmpty();
  }
}
