package dev.postoffice.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.RejectedInputException;
import dev.postoffice.model.Payload;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("JacksonCodec")
class JacksonCodecTest {
  record Reading(String sensor, double value, Instant at, List<String> tags) {}

  record Counter(int count) {}

  private final JacksonCodec codec = JacksonCodec.create();

  @Test
  @DisplayName("round-trips records with java.time values as JSON")
  void roundTrip() {
    Reading reading = new Reading("s-1", 21.5, Instant.parse("2026-01-01T10:00:00Z"), List.of("a"));
    Payload payload = codec.encode(reading);
    assertThat(payload.contentType()).isEqualTo(Payload.JSON);
    assertThat(payload.asUtf8()).contains("\"2026-01-01T10:00:00Z\"");
    assertThat(codec.decode(payload, Reading.class)).isEqualTo(reading);
  }

  @Test
  @DisplayName("ignores properties a partner added")
  void unknownProperties() {
    assertThat(
            codec
                .decode(Payload.json("{\"sensor\":\"s\",\"value\":1,\"new\":true}"), Reading.class)
                .sensor())
        .isEqualTo("s");
  }

  @Test
  @DisplayName("rejects malformed JSON with the position of the problem")
  void malformed() {
    assertThatThrownBy(() -> codec.decode(Payload.json("{\"sensor\": }"), Reading.class))
        .isInstanceOf(RejectedInputException.class)
        .hasMessageStartingWith("cannot decode Reading at line 1, column 12")
        .hasMessageNotContaining("Source");
    assertThatThrownBy(() -> codec.decode(Payload.json("{\"tags\": [\"a\""), Reading.class))
        .hasMessageNotContaining("Source")
        .hasMessageContaining("expected close marker for Array");
  }

  @Test
  @DisplayName("rejects a document nested deeper than the limit instead of exhausting the stack")
  void deepNesting() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    assertThatThrownBy(() -> codec.decode(Payload.json(deep), Object.class))
        .isInstanceOf(RejectedInputException.class)
        .hasMessageContaining("nesting depth");
  }

  @Test
  @DisplayName("rejects a content type that is not JSON, and a null document")
  void wrongContentType() {
    assertThatThrownBy(() -> codec.decode(Payload.ofUtf8("a,b", "text/csv"), Reading.class))
        .isInstanceOf(RejectedInputException.class)
        .hasMessage("cannot decode content type 'text/csv' as Reading: expected application/json");
    assertThat(
            codec
                .decode(
                    Payload.ofUtf8(
                        "{\"sensor\":\"x\",\"value\":1}",
                        "application/vnd.acme+json; charset=utf-8"),
                    Reading.class)
                .sensor())
        .isEqualTo("x");
    assertThatThrownBy(() -> codec.decode(Payload.json("null"), Reading.class))
        .hasMessage("cannot decode Reading: the document is null");
  }

  @Test
  @DisplayName("rejects trailing content after the document")
  void trailingContent() {
    assertThatThrownBy(
            () -> codec.decode(Payload.json("{\"sensor\":\"s\",\"value\":1}}"), Reading.class))
        .isInstanceOf(RejectedInputException.class)
        .hasMessageContaining("close marker '}'");
    assertThatThrownBy(
            () ->
                codec.decode(
                    Payload.json("{\"sensor\":\"a\",\"value\":1} {\"sensor\":\"b\"}"),
                    Reading.class))
        .isInstanceOf(RejectedInputException.class);
  }

  @Test
  @DisplayName(
      "keeps input values out of its reasons, which are stored and logged, but names the field")
  void noValuesInReasons() {
    String card = "4111-1111-1111-1111";
    assertThatThrownBy(
            () ->
                codec.decode(
                    Payload.json("{\"sensor\":\"s\",\"value\":\"" + card + "\"}"), Reading.class))
        .isInstanceOf(RejectedInputException.class)
        .hasMessageNotContaining(card)
        .hasMessageContaining("(field value)");
    assertThatThrownBy(() -> codec.decode(Payload.json("secret-token-123"), Reading.class))
        .hasMessageNotContaining("secret-token");
    assertThatThrownBy(
            () -> codec.decode(Payload.json("{\"count\":4111111111111111}"), Counter.class))
        .hasMessageNotContaining("4111111111111111")
        .hasMessageContaining("(field count)");
  }

  @Test
  @DisplayName("rejects a missing primitive instead of inventing a zero")
  void missingPrimitive() {
    assertThatThrownBy(
            () -> codec.decode(Payload.json("{\"sensor\":\"s\",\"value\":null}"), Reading.class))
        .isInstanceOf(RejectedInputException.class);
  }

  @Nested
  @DisplayName("limits, the same when encoding as when decoding")
  class Limits {
    @Test
    @DisplayName("encodes and decodes a string of exactly the longest length")
    void longestStringRoundTrips() {
      String longest = "x".repeat(JacksonCodec.DEFAULT_MAX_STRING_LENGTH);
      Reading reading = new Reading(longest, 1, Instant.parse("2026-01-01T10:00:00Z"), List.of());
      assertThat(codec.decode(codec.encode(reading), Reading.class).sensor()).hasSize(1_000_000);
    }

    @Test
    @DisplayName(
        "refuses to encode a string one character longer, naming the field and the limit, instead of"
            + " writing what it would then refuse to read")
    void longerStringRefusedAtEncode() {
      Reading reading = new Reading("s", 1, null, List.of("a", "x".repeat(1_000_001)));
      assertThatThrownBy(() -> codec.encode(reading))
          .isInstanceOf(RejectedInputException.class)
          .hasMessage(
              "cannot encode Reading (field tags[1]): a string of 1000001 characters is over the codec's"
                  + " limit of 1000000 (JacksonCodec.DEFAULT_MAX_STRING_LENGTH); decoding would refuse it");
      assertThatThrownBy(
              () ->
                  codec.decode(
                      Payload.json("{\"sensor\":\"" + "x".repeat(1_000_001) + "\"}"),
                      Reading.class))
          .isInstanceOf(RejectedInputException.class);
    }

    @Test
    @DisplayName("refuses to encode a number or a nesting deeper than decoding accepts")
    void numbersAndDepth() {
      BigDecimal wide = new BigDecimal("1".repeat(101));
      assertThatThrownBy(() -> codec.encode(Map.of("amount", wide)))
          .isInstanceOf(RejectedInputException.class)
          .hasMessageContaining("a number of 101 characters is over the codec's limit of 100")
          .hasMessageContaining("(field amount)");
      assertThat(
              codec.decode(
                  codec.encode(Map.of("amount", new BigDecimal("1".repeat(100)))), Map.class))
          .containsKey("amount");

      Object deep = List.of();
      for (int i = 1; i < JacksonCodec.DEFAULT_MAX_NESTING_DEPTH; i++) {
        deep = List.of(deep);
      }
      Payload deepest = codec.encode(deep);
      assertThat(codec.decode(deepest, Object.class)).isNotNull();
      Object tooDeep = List.of(deep);
      assertThatThrownBy(() -> codec.encode(tooDeep))
          .isInstanceOf(RejectedInputException.class)
          .hasMessageContaining("nesting depth");
    }
  }
}
