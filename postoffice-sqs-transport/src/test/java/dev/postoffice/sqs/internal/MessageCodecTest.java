package dev.postoffice.sqs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.RejectedInputException;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.sqs.SqsTransportSettings;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

@DisplayName("MessageCodec")
class MessageCodecTest {
  private final MessageCodec standard = new MessageCodec(SqsTransportSettings.ofDefaults());
  private final MessageCodec fifo =
      new MessageCodec(SqsTransportSettings.builder().fifo(true).build());

  private static OutboundMessage message(Map<String, String> headers, byte[] body) {
    return new OutboundMessage("m-1", headers, body, "application/json");
  }

  /** What SQS would hand back for an encoded message. */
  private static InboundMessage roundTrip(EncodedMessage e, int receiveCount) {
    return MessageCodec.decode(
        Message.builder()
            .messageId("sqs-id")
            .body(e.body())
            .messageAttributes(e.attributes())
            .attributes(
                Map.of(
                    MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                    Integer.toString(receiveCount)))
            .build());
  }

  @Nested
  @DisplayName("headers")
  class Headers {
    @Test
    @DisplayName("travel one attribute each when they fit SQS's ten attributes")
    void individually() {
      EncodedMessage e =
          standard.encode(
              message(
                  Map.of("postoffice-trace-id", "t-1", "x-a", "1"),
                  "{}".getBytes(StandardCharsets.UTF_8)));
      assertThat(e.attributes())
          .containsKeys(
              "postoffice-trace-id", "x-a", MessageCodec.MESSAGE_ID, MessageCodec.CONTENT_TYPE)
          .doesNotContainKey(MessageCodec.HEADERS);
      assertThat(roundTrip(e, 1).headers())
          .containsExactlyInAnyOrderEntriesOf(Map.of("postoffice-trace-id", "t-1", "x-a", "1"));
    }

    @Test
    @DisplayName("are packed into one JSON attribute when there are more than eight")
    void packedWhenMany() {
      Map<String, String> headers = new HashMap<>();
      for (int i = 0; i < 9; i++) {
        headers.put("h" + i, "v" + i);
      }
      EncodedMessage e = standard.encode(message(headers, "{}".getBytes(StandardCharsets.UTF_8)));
      assertThat(e.attributes()).hasSize(3).containsKey(MessageCodec.HEADERS);
      assertThat(roundTrip(e, 1).headers()).isEqualTo(headers);
    }

    @Test
    @DisplayName("are packed when a name or value is not allowed as an attribute")
    void packedWhenInvalid() {
      Map<String, String> headers = Map.of("has space", "x", "AWS.reserved", "y", "empty", "");
      EncodedMessage e = standard.encode(message(headers, "{}".getBytes(StandardCharsets.UTF_8)));
      assertThat(e.attributes()).containsKey(MessageCodec.HEADERS);
      assertThat(roundTrip(e, 1).headers()).isEqualTo(headers);
    }
  }

  @Nested
  @DisplayName("bodies")
  class Bodies {
    @Test
    @DisplayName("UTF-8 text travels as it is, binary as base64, empty as a marked blank")
    void encodings() {
      byte[] text = "{\"ä\":1}".getBytes(StandardCharsets.UTF_8);
      byte[] binary = {0, 1, (byte) 0xff, 0x7f};
      EncodedMessage t = standard.encode(message(Map.of(), text));
      EncodedMessage b = standard.encode(message(Map.of(), binary));
      EncodedMessage empty = standard.encode(message(Map.of(), new byte[0]));
      assertThat(t.body()).isEqualTo("{\"ä\":1}");
      assertThat(t.attributes()).doesNotContainKey(MessageCodec.BODY_ENCODING);
      assertThat(b.attributes().get(MessageCodec.BODY_ENCODING).stringValue()).isEqualTo("base64");
      assertThat(roundTrip(t, 1).body()).isEqualTo(text);
      assertThat(roundTrip(b, 1).body()).isEqualTo(binary);
      assertThat(roundTrip(empty, 1).body()).isEmpty();
    }

    @Test
    @DisplayName("size counts the body and every attribute's name, type and value, in UTF-8 bytes")
    void size() {
      EncodedMessage e =
          standard.encode(
              new OutboundMessage(
                  "id", Map.of("k", "v"), "ab".getBytes(StandardCharsets.UTF_8), "t"));
      int expected =
          2
              + (MessageCodec.MESSAGE_ID.length() + 6 + 2)
              + (MessageCodec.CONTENT_TYPE.length() + 6 + 1)
              + (1 + 6 + 1);
      assertThat(e.size()).isEqualTo(expected);
    }

    @Test
    @DisplayName("a body over the limit is refused with a message naming the limit")
    void oversize() {
      int max = SqsTransportSettings.ofDefaults().maxMessageBytes();
      assertThat(standard.encode(message(Map.of(), new byte[max])).size())
          .isLessThanOrEqualTo(262_144);
      assertThatThrownBy(() -> standard.encode(message(Map.of(), new byte[max + 1])))
          .isInstanceOf(RejectedInputException.class)
          .hasMessageContaining(
              "has a body of 190465 bytes, but the SQS transport accepts at most 190464 bytes");
    }

    @Test
    @DisplayName("headers over the attribute budget are refused")
    void headersTooBig() {
      assertThatThrownBy(
              () -> standard.encode(message(Map.of("big", "x".repeat(9000)), new byte[1])))
          .isInstanceOf(RejectedInputException.class)
          .hasMessageContaining("but at most 8192 are allowed");
    }
  }

  @Nested
  @DisplayName("delivery")
  class Delivery {
    @Test
    @DisplayName("the receive count becomes the delivery count, redelivered above one")
    void counts() {
      EncodedMessage e = standard.encode(message(Map.of(), new byte[] {'x'}));
      assertThat(roundTrip(e, 1).deliveryCount()).isEqualTo(1);
      assertThat(roundTrip(e, 1).redelivered()).isFalse();
      assertThat(roundTrip(e, 3).redelivered()).isTrue();
      assertThat(roundTrip(e, 3).messageId()).isEqualTo("m-1");
    }

    @Test
    @DisplayName("a message sent by someone else keeps the SQS message id and gets octet-stream")
    void foreign() {
      InboundMessage in =
          MessageCodec.decode(Message.builder().messageId("sqs-id").body("hi").build());
      assertThat(in.messageId()).isEqualTo("sqs-id");
      assertThat(in.contentType()).isEqualTo("application/octet-stream");
      assertThat(in.deliveryCount()).isZero();
    }
  }

  @Nested
  @DisplayName("FIFO")
  class Fifo {
    @Test
    @DisplayName("the message id is the deduplication id and the ordering-key header the group")
    void ids() {
      EncodedMessage e =
          fifo.encode(message(Map.of("postoffice-route", "acme-orders"), new byte[] {'x'}));
      assertThat(e.deduplicationId()).isEqualTo("m-1");
      assertThat(e.groupId()).isEqualTo("acme-orders");
      assertThat(fifo.encode(message(Map.of(), new byte[] {'x'})).groupId())
          .isEqualTo(SqsTransportSettings.DEFAULT_MESSAGE_GROUP_ID);
      assertThat(standard.encode(message(Map.of(), new byte[] {'x'})).groupId()).isNull();
    }

    @Test
    @DisplayName("ids SQS would refuse are replaced by their SHA-256")
    void hashed() {
      assertThat(MessageCodec.sqsId("with space")).hasSize(64).matches("[0-9a-f]+");
      assertThat(MessageCodec.sqsId("x".repeat(129))).hasSize(64);
      assertThat(MessageCodec.sqsId("ok-id_1")).isEqualTo("ok-id_1");
    }
  }
}
