package dev.postoffice.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Payload;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Transport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The acknowledgement messages: the contract between the Core App's receiver, which writes them,
 * and PostOffice, which reads them from its ack queue ({@value #DEFAULT_DESTINATION} unless both
 * sides are told otherwise). Both sides use this class, so the format has one definition.
 *
 * <p><b>Positive, one message:</b> header {@link Transport#HEADER_ACK_FOR} = the message id it
 * acknowledges (the entry id), with the {@link Transport#HEADER_TRACE_ID} and {@link
 * Transport#HEADER_ROUTE} of that message; body {@code {"ackFor":"<id>"}} (for people reading the
 * queue; PostOffice reads the header). Its message id is {@code ack-<id>}.
 *
 * <p><b>Positive, several messages:</b> header {@link Transport#HEADER_ACK_COUNT} = how many ids (1
 * to {@value #MAX_IDS}, decimal); body {@code {"ackFor":["<id>", ...]}} with exactly that many ids;
 * no {@link Transport#HEADER_ACK_FOR}. Its message id is {@code ack-<first id>+<count - 1>}. The
 * receiver sends the acknowledgements of a delivery batch as one message: one publish, one broker
 * delivery and one broker ack for the batch instead of one each (on RabbitMQ, about a fifth less
 * broker CPU in the round trip).
 *
 * <p><b>Negative ({@link #rejection}):</b> the Core App refused a message for good. Header {@link
 * #HEADER_NACK_FOR} = its id, with its trace id and route; body {@code
 * {"nackFor":"<id>","reason":"<why>"}}, the reason cut to {@value #MAX_REASON_LENGTH} characters.
 * Its message id is {@code nack-<id>}. It carries neither of the positive headers, so a PostOffice
 * that does not know it dead-letters it as malformed and republishes the entry later (upgrade
 * PostOffice before the Core App receivers).
 *
 * <p>Bodies are UTF-8 JSON of content type {@link Payload#JSON}. An id is 1 to {@value
 * EntryId#MAX_LENGTH} non-blank characters. The readers ({@link #read}, {@link #readRejection})
 * throw {@link IllegalArgumentException} saying what is wrong with a malformed message.
 */
public final class AckMessages {
  /**
   * The queue acknowledgements go to unless configured otherwise, on both sides: PostOffice's
   * {@code PipelineBuilder.ackDestination} and the receiver's {@code
   * CoreAppReceiver.Builder.ackDestination}.
   */
  public static final String DEFAULT_DESTINATION = "postoffice-acks";

  /** The most ids one acknowledgement message carries (about 40 bytes each in the body). */
  public static final int MAX_IDS = 500;

  /** Header naming, on a negative acknowledgement, the message id the Core App refused. */
  public static final String HEADER_NACK_FOR = "postoffice-nack-for";

  /**
   * The longest reason a negative acknowledgement carries; a longer one is cut, ending in "...".
   */
  public static final int MAX_REASON_LENGTH = 2000;

  /**
   * What a negative acknowledgement says.
   *
   * @param entryId the entry whose message the Core App refused
   * @param reason why, as the Core App said it
   */
  public record Rejection(EntryId entryId, String reason) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private AckMessages() {}

  /**
   * The acknowledgement of one message: its id in {@link Transport#HEADER_ACK_FOR}, with the trace
   * id and route of the message it acknowledges.
   */
  private static OutboundMessage forOne(InboundMessage message) {
    Map<String, String> headers = new HashMap<>();
    headers.put(Transport.HEADER_ACK_FOR, message.messageId());
    copy(message, headers, Transport.HEADER_TRACE_ID);
    copy(message, headers, Transport.HEADER_ROUTE);
    ObjectNode body = JSON.createObjectNode().put("ackFor", message.messageId());
    return new OutboundMessage("ack-" + message.messageId(), headers, bytes(body), Payload.JSON);
  }

  /**
   * Returns one acknowledgement for all these messages (the single form, with its trace and route,
   * for one).
   *
   * @param messages the messages acknowledged, at most {@value #MAX_IDS}
   * @return the acknowledgement
   * @throws IllegalArgumentException if there are none or more than {@value #MAX_IDS}
   */
  public static OutboundMessage forAll(List<InboundMessage> messages) {
    if (messages.isEmpty() || messages.size() > MAX_IDS) {
      throw new IllegalArgumentException(
          "an acknowledgement names 1 to " + MAX_IDS + " messages, not " + messages.size());
    }
    // A batch may hold a message twice (a redelivery beside the first delivery): name it once.
    Set<String> distinct = new LinkedHashSet<>();
    messages.forEach(m -> distinct.add(m.messageId()));
    if (distinct.size() == 1) {
      return forOne(messages.get(0));
    }
    ObjectNode body = JSON.createObjectNode();
    ArrayNode ids = body.putArray("ackFor");
    distinct.forEach(ids::add);
    return new OutboundMessage(
        "ack-" + messages.get(0).messageId() + "+" + (distinct.size() - 1),
        Map.of(Transport.HEADER_ACK_COUNT, Integer.toString(distinct.size())),
        bytes(body),
        Payload.JSON);
  }

  /**
   * Returns the negative acknowledgement of one message: the Core App refuses it for good.
   *
   * @param message the message refused
   * @param reason why; cut to {@value #MAX_REASON_LENGTH} characters
   * @return the negative acknowledgement
   */
  public static OutboundMessage rejection(InboundMessage message, String reason) {
    Map<String, String> headers = new HashMap<>();
    headers.put(HEADER_NACK_FOR, message.messageId());
    copy(message, headers, Transport.HEADER_TRACE_ID);
    copy(message, headers, Transport.HEADER_ROUTE);
    ObjectNode body =
        JSON.createObjectNode()
            .put("nackFor", message.messageId())
            .put("reason", cut(reason == null ? "" : reason));
    return new OutboundMessage("nack-" + message.messageId(), headers, bytes(body), Payload.JSON);
  }

  /**
   * Tells whether a message is a negative acknowledgement (it has {@link #HEADER_NACK_FOR}).
   *
   * @param message an acknowledgement message
   * @return true for the negative form
   */
  public static boolean isRejection(InboundMessage message) {
    return message.headers().containsKey(HEADER_NACK_FOR);
  }

  /**
   * Reads a negative acknowledgement.
   *
   * @param message the negative acknowledgement
   * @return the entry and the reason
   * @throws IllegalArgumentException naming what is wrong, if it is not a well-formed one
   */
  public static Rejection readRejection(InboundMessage message) {
    String id = message.headers().get(HEADER_NACK_FOR);
    if (id == null) {
      throw new IllegalArgumentException("it has no " + HEADER_NACK_FOR + " header");
    }
    EntryId entryId = entryId(id, HEADER_NACK_FOR + " header");
    JsonNode reason;
    try {
      reason = JSON.readTree(message.body()).path("reason");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "its body is not JSON: " + abbreviate(String.valueOf(e.getMessage())));
    }
    if (!reason.isTextual()) {
      throw new IllegalArgumentException("its body has no reason text");
    }
    return new Rejection(entryId, cut(reason.textValue()));
  }

  private static String cut(String reason) {
    return reason.length() <= MAX_REASON_LENGTH
        ? reason
        : reason.substring(0, MAX_REASON_LENGTH - 3) + "...";
  }

  /**
   * Reads the entry ids an acknowledgement message names.
   *
   * @param message the acknowledgement
   * @return the ids, at least one
   * @throws IllegalArgumentException naming what is wrong, if it is not a well-formed
   *     acknowledgement
   */
  public static List<EntryId> read(InboundMessage message) {
    String one = message.headers().get(Transport.HEADER_ACK_FOR);
    if (one != null) {
      return List.of(entryId(one, Transport.HEADER_ACK_FOR + " header"));
    }
    String count = message.headers().get(Transport.HEADER_ACK_COUNT);
    if (count == null) {
      throw new IllegalArgumentException(
          "it has neither a "
              + Transport.HEADER_ACK_FOR
              + " nor a "
              + Transport.HEADER_ACK_COUNT
              + " header");
    }
    int expected;
    try {
      expected = Integer.parseInt(count.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          Transport.HEADER_ACK_COUNT + " header '" + count + "' is not a number");
    }
    if (expected < 1 || expected > MAX_IDS) {
      throw new IllegalArgumentException(
          Transport.HEADER_ACK_COUNT + " header is " + expected + ", not 1 to " + MAX_IDS);
    }
    JsonNode ids;
    try {
      ids = JSON.readTree(message.body()).path("ackFor");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "its body is not JSON: " + abbreviate(String.valueOf(e.getMessage())));
    }
    if (!ids.isArray() || ids.size() != expected) {
      throw new IllegalArgumentException(
          "its body's ackFor is not an array of " + expected + " message ids");
    }
    List<EntryId> out = new ArrayList<>(expected);
    for (JsonNode id : ids) {
      if (!id.isTextual()) {
        throw new IllegalArgumentException("its body's ackFor holds " + id + ", not a message id");
      }
      out.add(entryId(id.textValue(), "body's ackFor"));
    }
    return out;
  }

  private static EntryId entryId(String value, String where) {
    if (value.isBlank() || value.length() > EntryId.MAX_LENGTH) {
      throw new IllegalArgumentException(
          "its "
              + where
              + " '"
              + abbreviate(value)
              + "' is not a message id (1 to "
              + EntryId.MAX_LENGTH
              + " non-blank characters)");
    }
    return EntryId.of(value);
  }

  private static String abbreviate(String value) {
    return value.length() <= 80 ? value : value.substring(0, 80) + "…";
  }

  private static void copy(InboundMessage from, Map<String, String> to, String header) {
    String value = from.headers().get(header);
    if (value != null) {
      to.put(header, value);
    }
  }

  private static byte[] bytes(JsonNode body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot happen: a tree of strings always serializes", e);
    }
  }
}
