package dev.postoffice.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.RejectedInputException;
import dev.postoffice.model.Payload;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The decoding rules docs/writing-a-translator.md states, one test per rule. */
@DisplayName("JacksonCodec's decoding rules")
class JacksonCodecRulesTest {
  record Line(String sku, int quantity, String note) {}

  record Flag(boolean ok) {}

  record Counts(java.util.Map<String, Integer> counts) {}

  record Stamped(OffsetDateTime at, Instant received, LocalDate day) {}

  private final JacksonCodec codec = JacksonCodec.create();

  private Line line(String json) {
    return codec.decode(Payload.json(json), Line.class);
  }

  @Test
  @DisplayName("ignores properties the type does not have")
  void unknownFieldsIgnored() {
    assertThat(line("{\"sku\":\"S-1\",\"quantity\":2,\"colour\":\"red\"}"))
        .isEqualTo(new Line("S-1", 2, null));
  }

  @Nested
  @DisplayName("missing values and nulls")
  class Nulls {
    @Test
    @DisplayName("refuses a missing primitive, with Jackson's hint readable and the field named")
    void missingPrimitive() {
      assertThatThrownBy(() -> line("{\"sku\":\"S-1\"}"))
          .isInstanceOf(RejectedInputException.class)
          .hasMessageContaining("(field quantity)")
          .hasMessageContaining("Cannot map `null` into type `int`")
          .hasMessageContaining("FAIL_ON_NULL_FOR_PRIMITIVES to 'false' to allow")
          .hasMessageNotContaining("hidden");
    }

    @Test
    @DisplayName("refuses null for a primitive rather than reading zero")
    void nullPrimitive() {
      assertThatThrownBy(() -> line("{\"sku\":\"S-1\",\"quantity\":null}"))
          .isInstanceOf(RejectedInputException.class)
          .hasMessageContaining("(field quantity)");
    }

    @Test
    @DisplayName("reads a missing or null reference as null, for the normalizer to check")
    void missingReference() {
      assertThat(line("{\"quantity\":1,\"note\":null}")).isEqualTo(new Line(null, 1, null));
    }
  }

  @Nested
  @DisplayName("numbers and strings")
  class NumbersAndStrings {
    @Test
    @DisplayName("reads a string holding a number as that number")
    void numericString() {
      assertThat(line("{\"sku\":\"S-1\",\"quantity\":\"42\"}").quantity()).isEqualTo(42);
    }

    @Test
    @DisplayName("refuses a string that is not a number, without repeating it")
    void nonNumericString() {
      assertThatThrownBy(() -> line("{\"sku\":\"S-1\",\"quantity\":\"forty-two\"}"))
          .isInstanceOf(RejectedInputException.class)
          .hasMessageContaining("(field quantity)")
          .hasMessageContaining("not a valid `int` value")
          .hasMessageNotContaining("forty-two");
    }

    @Test
    @DisplayName("refuses a fraction for an integer rather than truncating it")
    void fractionForInteger() {
      assertThatThrownBy(() -> line("{\"sku\":\"S-1\",\"quantity\":4111111111111111.5}"))
          .isInstanceOf(RejectedInputException.class)
          .hasMessageContaining("(field quantity)")
          .hasMessageNotContaining("4111111111111111")
          .satisfies(e -> assertThat(e.getCause()).as("no cause quoting the input").isNull());
    }

    @Test
    @DisplayName("refuses an integer for a boolean rather than reading true, without repeating it")
    void integerForBoolean() {
      assertThatThrownBy(() -> codec.decode(Payload.json("{\"ok\":4111}"), Flag.class))
          .isInstanceOf(RejectedInputException.class)
          .hasMessageContaining("(field ok)")
          .hasMessageNotContaining("4111");
    }

    @Test
    @DisplayName("keeps Jackson's own words and hides strings with escaped quotes and map keys")
    void hidesEveryInputValue() {
      assertThatThrownBy(() -> codec.decode(Payload.json("{\"ok\":\"yes\"}"), Flag.class))
          .hasMessageNotContaining("yes")
          .hasMessageContaining("only true or false (in any case) recognized");
      assertThatThrownBy(() -> line("{\"sku\":\"S\",\"quantity\":\"x\\\"4111111111111111\"}"))
          .hasMessageNotContaining("4111111111111111");
      assertThatThrownBy(
              () ->
                  codec.decode(
                      Payload.json("{\"counts\":{\"4111111111111111\":\"many\"}}"), Counts.class))
          .hasMessageNotContaining("4111111111111111")
          .hasMessageNotContaining("many")
          .hasMessageContaining("(field counts.(key hidden))");
    }

    @Test
    @DisplayName("reads a number for a String as its text")
    void numberForString() {
      assertThat(line("{\"sku\":12345,\"quantity\":1}").sku()).isEqualTo("12345");
    }
  }

  @Nested
  @DisplayName("dates")
  class Dates {
    @Test
    @DisplayName("keeps the offset an OffsetDateTime was sent with, both ways")
    void offsetKept() {
      Stamped stamped =
          codec.decode(Payload.json("{\"at\":\"2024-03-14T11:08:39-04:00\"}"), Stamped.class);

      assertThat(stamped.at().getOffset()).isEqualTo(ZoneOffset.ofHours(-4));
      assertThat(stamped.at().getHour()).isEqualTo(11);
      assertThat(codec.encode(stamped).asUtf8()).contains("\"2024-03-14T11:08:39-04:00\"");
    }

    @Test
    @DisplayName("reads an Instant as the same moment in UTC, and a LocalDate as written")
    void instantAndLocalDate() {
      Stamped stamped =
          codec.decode(
              Payload.json("{\"received\":\"2024-03-14T11:08:39-04:00\",\"day\":\"2024-03-14\"}"),
              Stamped.class);

      assertThat(stamped.received()).isEqualTo(Instant.parse("2024-03-14T15:08:39Z"));
      assertThat(stamped.day()).isEqualTo(LocalDate.of(2024, 3, 14));
    }

    @Test
    @DisplayName("refuses a date that is not ISO-8601, without repeating it")
    void badDate() {
      assertThatThrownBy(
              () -> codec.decode(Payload.json("{\"at\":\"14/03/2024 11:08\"}"), Stamped.class))
          .isInstanceOf(RejectedInputException.class)
          .hasMessageContaining("(field at)")
          .hasMessageNotContaining("14/03/2024");
    }
  }

  @Nested
  @DisplayName("errors")
  class Errors {
    @Test
    @DisplayName("say what was expected where a body is not JSON, without the body's token")
    void notJson() {
      assertThatThrownBy(() -> line("card=4111111111111111"))
          .isInstanceOf(RejectedInputException.class)
          .hasMessage(
              "cannot decode Line at line 1, column 1: Unrecognized token: was expecting JSON"
                  + " String, Number, Array, Object or token 'null', 'true' or 'false'");
    }

    @Test
    @DisplayName("keep Jackson's words and hide the input's in every message")
    void redaction() {
      assertThat(
              JacksonCodec.withoutValues(
                  "Cannot deserialize value of type `int` from String \"4111\": not a valid `int`"
                      + " value"))
          .isEqualTo(
              "Cannot deserialize value of type `int` from String (value hidden): not a valid"
                  + " `int` value");
      assertThat(
              JacksonCodec.withoutValues(
                  "Text '4111-1111' could not be parsed; expected 'true' or 'false'"))
          .isEqualTo("Text (value hidden) could not be parsed; expected 'true' or 'false'");
      assertThat(JacksonCodec.withoutValues("Numeric value (4111111111111111) out of range"))
          .isEqualTo("Numeric value (value hidden) out of range");
    }
  }
}
