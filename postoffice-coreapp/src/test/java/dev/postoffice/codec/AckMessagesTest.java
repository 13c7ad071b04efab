package dev.postoffice.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.model.EntryId;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("AckMessages")
class AckMessagesTest {
  private static InboundMessage message(String id, Map<String, String> headers) {
    return new InboundMessage(id, headers, new byte[0], "application/json", 1, false);
  }

  private static InboundMessage received(OutboundMessage sent) {
    return new InboundMessage(
        sent.messageId(), sent.headers(), sent.body(), sent.contentType(), 1, false);
  }

  private static InboundMessage batch(String count, String body) {
    return new InboundMessage(
        "ack-batch",
        Map.of(Transport.HEADER_ACK_COUNT, count),
        body.getBytes(StandardCharsets.UTF_8),
        "application/json",
        1,
        false);
  }

  private static String body(OutboundMessage sent) {
    return new String(sent.body(), StandardCharsets.UTF_8);
  }

  @Nested
  @DisplayName("writes")
  class Writes {
    @Test
    @DisplayName("one message: its id in the header and the body, with its trace id and route")
    void one() {
      OutboundMessage ack =
          AckMessages.forAll(
              List.of(
                  message(
                      "e-1",
                      Map.of(Transport.HEADER_TRACE_ID, "t-1", Transport.HEADER_ROUTE, "acme"))));

      assertThat(ack.messageId()).isEqualTo("ack-e-1");
      assertThat(ack.headers())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  Transport.HEADER_ACK_FOR,
                  "e-1",
                  Transport.HEADER_TRACE_ID,
                  "t-1",
                  Transport.HEADER_ROUTE,
                  "acme"));
      assertThat(body(ack)).isEqualTo("{\"ackFor\":\"e-1\"}");
    }

    @Test
    @DisplayName("several messages: their count in the header, each distinct id once in the body")
    void several() {
      OutboundMessage ack =
          AckMessages.forAll(
              List.of(
                  message("e-1", Map.of()), message("e-2", Map.of()), message("e-1", Map.of())));

      assertThat(ack.messageId()).isEqualTo("ack-e-1+1");
      assertThat(ack.headers()).containsExactly(Map.entry(Transport.HEADER_ACK_COUNT, "2"));
      assertThat(body(ack)).isEqualTo("{\"ackFor\":[\"e-1\",\"e-2\"]}");
      assertThat(AckMessages.read(received(ack)))
          .containsExactly(EntryId.of("e-1"), EntryId.of("e-2"));
    }

    @Test
    @DisplayName("a rejection escapes its reason as JSON and is read back unchanged")
    void rejection() {
      String reason = "bad \"sku\" \\ line\nbreak\u0001 caf\u00e9 \uD83D\uDCE6";
      OutboundMessage nack = AckMessages.rejection(message("e-1", Map.of()), reason);

      assertThat(nack.messageId()).isEqualTo("nack-e-1");
      assertThat(nack.headers()).containsEntry(AckMessages.HEADER_NACK_FOR, "e-1");
      assertThat(body(nack))
          .isEqualTo(
              "{\"nackFor\":\"e-1\",\"reason\":\"bad \\\"sku\\\" \\\\ line\\nbreak"
                  + "\\u0001 caf\u00e9 \\uD83D\\uDCE6\"}");
      assertThat(AckMessages.readRejection(received(nack)))
          .isEqualTo(new AckMessages.Rejection(EntryId.of("e-1"), reason));
    }

    @Test
    @DisplayName("a rejection's reason is cut to MAX_REASON_LENGTH characters")
    void longReason() {
      OutboundMessage nack = AckMessages.rejection(message("e-1", Map.of()), "x".repeat(5000));

      assertThat(AckMessages.readRejection(received(nack)).reason())
          .hasSize(AckMessages.MAX_REASON_LENGTH)
          .endsWith("...");
    }

    @Test
    @DisplayName("refuses to name no message or more than MAX_IDS")
    void bounds() {
      assertThatThrownBy(() -> AckMessages.forAll(List.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("an acknowledgement names 1 to 500 messages, not 0");
    }
  }

  @Nested
  @DisplayName("reads")
  class Reads {
    @Test
    @DisplayName("any JSON layout: blanks, escapes, other members in any order")
    void layout() {
      InboundMessage ack =
          batch(
              " 2 ",
              " {\"note\" : [1, {\"a\": null}, true],\n \"ackFor\" : [ \"e-1\","
                  + " \"e\\u002D2\" ] } trailing");

      assertThat(AckMessages.read(ack)).containsExactly(EntryId.of("e-1"), EntryId.of("e-2"));
    }

    @Test
    @DisplayName("a body that is not JSON is malformed, with where it went wrong")
    void notJson() {
      for (String body :
          List.of(
              "not json",
              "{\"ackFor\":[\"e-1\"",
              "{ackFor:1}",
              "[\"a\" \"b\"]",
              "{\"ackFor\":\"\\x\"}",
              "[".repeat(2000))) {
        assertThatThrownBy(() -> AckMessages.read(batch("1", body)))
            .as(body)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("its body is not JSON: ");
      }
      assertThatThrownBy(() -> AckMessages.read(batch("1", "not json")))
          .hasMessageContaining("Unrecognized token 'not'");
    }

    @Test
    @DisplayName("an id that is not a string is shown as JSON")
    void notAnId() {
      assertThatThrownBy(() -> AckMessages.read(batch("1", "{\"ackFor\":[{\"a\":[1,null]}]}")))
          .hasMessage("its body's ackFor holds {\"a\":[1,null]}, not a message id");
    }

    @Test
    @DisplayName("a rejection with an empty body has no reason text")
    void emptyRejection() {
      InboundMessage nack =
          new InboundMessage(
              "nack-x",
              Map.of(AckMessages.HEADER_NACK_FOR, "e-1"),
              new byte[0],
              "application/json",
              1,
              false);

      assertThatThrownBy(() -> AckMessages.readRejection(nack))
          .hasMessage("its body has no reason text");
    }
  }
}
