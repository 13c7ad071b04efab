package dev.postoffice.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.RejectedInputException;
import dev.postoffice.model.Payload;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
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
    assertThat(codec.decode(Payload.json("{\"sensor\":\"s\",\"value\":1,\"new\":true}"), Reading.class).sensor())
        .isEqualTo("s");
  }

  @Test
  @DisplayName("rejects malformed JSON with the position of the problem")
  void malformed() {
    assertThatThrownBy(() -> codec.decode(Payload.json("{\"sensor\": }"), Reading.class))
        .isInstanceOf(RejectedInputException.class).hasMessageStartingWith("cannot decode Reading at line 1, column 12")
        .hasMessageNotContaining("Source");
    assertThatThrownBy(() -> codec.decode(Payload.json("{\"tags\": [\"a\""), Reading.class))
        .hasMessageNotContaining("Source").hasMessageContaining("expected close marker for Array");
  }

  @Test
  @DisplayName("rejects a document nested deeper than the limit instead of exhausting the stack")
  void deepNesting() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    assertThatThrownBy(() -> codec.decode(Payload.json(deep), Object.class))
        .isInstanceOf(RejectedInputException.class).hasMessageContaining("nesting depth");
  }

  @Test
  @DisplayName("rejects a content type that is not JSON, and a null document")
  void wrongContentType() {
    assertThatThrownBy(() -> codec.decode(Payload.ofUtf8("a,b", "text/csv"), Reading.class))
        .isInstanceOf(RejectedInputException.class)
        .hasMessage("cannot decode content type 'text/csv' as Reading: expected application/json");
    assertThat(codec.decode(Payload.ofUtf8("{\"sensor\":\"x\",\"value\":1}", "application/vnd.acme+json; charset=utf-8"),
        Reading.class).sensor()).isEqualTo("x");
    assertThatThrownBy(() -> codec.decode(Payload.json("null"), Reading.class))
        .hasMessage("cannot decode Reading: the document is null");
  }

  @Test
  @DisplayName("rejects trailing content after the document")
  void trailingContent() {
    assertThatThrownBy(() -> codec.decode(Payload.json("{\"sensor\":\"s\",\"value\":1}}"), Reading.class))
        .isInstanceOf(RejectedInputException.class).hasMessageContaining("close marker '}'");
    assertThatThrownBy(() -> codec.decode(Payload.json("{\"sensor\":\"a\",\"value\":1} {\"sensor\":\"b\"}"),
        Reading.class)).isInstanceOf(RejectedInputException.class);
  }

  @Test
  @DisplayName("keeps input values out of its reasons, which are stored and logged, but names the field")
  void noValuesInReasons() {
    String card = "4111-1111-1111-1111";
    assertThatThrownBy(() -> codec.decode(Payload.json("{\"sensor\":\"s\",\"value\":\"" + card + "\"}"),
        Reading.class))
        .isInstanceOf(RejectedInputException.class)
        .hasMessageNotContaining(card)
        .hasMessageContaining("(field value)");
    assertThatThrownBy(() -> codec.decode(Payload.json("secret-token-123"), Reading.class))
        .hasMessageNotContaining("secret-token");
    assertThatThrownBy(() -> codec.decode(Payload.json("{\"count\":4111111111111111}"), Counter.class))
        .hasMessageNotContaining("4111111111111111").hasMessageContaining("(field count)");
  }

  @Test
  @DisplayName("rejects a missing primitive instead of inventing a zero")
  void missingPrimitive() {
    assertThatThrownBy(() -> codec.decode(Payload.json("{\"sensor\":\"s\",\"value\":null}"), Reading.class))
        .isInstanceOf(RejectedInputException.class);
  }
}
