package dev.postoffice.sqs.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postoffice.RejectedInputException;
import dev.postoffice.model.Payload;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.sqs.SqsTransport;
import dev.postoffice.sqs.SqsTransportSettings;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Turns {@link OutboundMessage}s into SQS bodies and attributes, and SQS messages into {@link
 * InboundMessage}s.
 *
 * <p>Attributes: {@value #MESSAGE_ID}, {@value #CONTENT_TYPE}, {@value #BODY_ENCODING} (only when
 * the body is not sent as text), and the headers, one attribute each when they fit SQS's ten
 * attributes and its naming rules, otherwise all of them as one JSON object in {@value #HEADERS}.
 */
public final class MessageCodec {
  /** Attribute holding the message id. */
  public static final String MESSAGE_ID = "postoffice-message-id";

  /** Attribute holding the content type. */
  public static final String CONTENT_TYPE = "postoffice-content-type";

  /**
   * Attribute saying how the body is encoded: {@code base64}, or {@code empty} for an empty body.
   */
  public static final String BODY_ENCODING = "postoffice-body-encoding";

  /** Attribute holding every header as one JSON object, when they do not fit as attributes. */
  public static final String HEADERS = "postoffice-headers";

  /** SQS allows ten message attributes per message. */
  static final int MAX_ATTRIBUTES = 10;

  private static final String STRING = "String";
  private static final Pattern ATTRIBUTE_NAME =
      Pattern.compile("[A-Za-z0-9_-]([A-Za-z0-9_.-]{0,254}[A-Za-z0-9_-])?");
  private static final Pattern SQS_ID = Pattern.compile("[\\x21-\\x7e]{1,128}");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, String>> MAP = new TypeReference<>() {};

  private final SqsTransportSettings settings;

  /**
   * Creates a codec.
   *
   * @param settings the settings
   */
  public MessageCodec(SqsTransportSettings settings) {
    this.settings = settings;
  }

  /**
   * Encodes a message.
   *
   * @param message the message
   * @return the encoded message
   * @throws RejectedInputException if the body or the headers exceed their limits, naming the limit
   */
  public EncodedMessage encode(OutboundMessage message) {
    int maxBody = settings.maxMessageBytes();
    if (message.body().length > maxBody) {
      throw new RejectedInputException(
          "message '"
              + message.messageId()
              + "' has a body of "
              + message.body().length
              + " bytes, but the SQS transport accepts at most "
              + maxBody
              + " bytes ("
              + "messageSizeLimit "
              + settings.messageSizeLimit()
              + " less "
              + SqsTransport.ATTRIBUTE_BUDGET_BYTES
              + " bytes for attributes, times 3/4 for base64) [Hint: send a reference to the payload instead, or "
              + "raise messageSizeLimit up to 1 MiB where the queue's MaximumMessageSize allows it]");
    }
    Map<String, MessageAttributeValue> attributes = new HashMap<>();
    attributes.put(MESSAGE_ID, text(message.messageId()));
    attributes.put(CONTENT_TYPE, text(message.contentType()));
    String body = textBody(message.body());
    if (body == null) {
      String encoding = message.body().length == 0 ? "empty" : "base64";
      body = message.body().length == 0 ? " " : Base64.getEncoder().encodeToString(message.body());
      attributes.put(BODY_ENCODING, text(encoding));
    }
    putHeaders(message.headers(), attributes);
    int attributeBytes = 0;
    for (Map.Entry<String, MessageAttributeValue> a : attributes.entrySet()) {
      attributeBytes +=
          utf8Length(a.getKey()) + STRING.length() + utf8Length(a.getValue().stringValue());
    }
    if (attributeBytes > SqsTransport.ATTRIBUTE_BUDGET_BYTES) {
      throw new RejectedInputException(
          "message '"
              + message.messageId()
              + "' has headers, id and content type"
              + " taking "
              + attributeBytes
              + " bytes as SQS attributes, but at most "
              + SqsTransport.ATTRIBUTE_BUDGET_BYTES
              + " are allowed");
    }
    String groupId = null;
    String dedupId = null;
    if (settings.fifo()) {
      String key = message.headers().get(settings.orderingKeyHeader());
      groupId = key == null || key.isEmpty() ? settings.defaultMessageGroupId() : sqsId(key);
      dedupId = sqsId(message.messageId());
    }
    return new EncodedMessage(
        message, body, Map.copyOf(attributes), utf8Length(body) + attributeBytes, groupId, dedupId);
  }

  private static void putHeaders(
      Map<String, String> headers, Map<String, MessageAttributeValue> attributes) {
    boolean individually = headers.size() <= MAX_ATTRIBUTES - attributes.size();
    for (Map.Entry<String, String> h : headers.entrySet()) {
      individually &=
          isAttributeName(h.getKey()) && !h.getValue().isEmpty() && isSqsText(h.getValue());
    }
    if (individually) {
      headers.forEach((name, value) -> attributes.put(name, text(value)));
    } else {
      try {
        // JSON escapes every control character, so the packed value is always valid SQS text.
        attributes.put(HEADERS, text(JSON.writeValueAsString(new TreeMap<>(headers))));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write headers as JSON", e);
      }
    }
  }

  private static boolean isAttributeName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return ATTRIBUTE_NAME.matcher(name).matches()
        && !name.contains("..")
        && !lower.startsWith("aws.")
        && !lower.startsWith("amazon.")
        && !lower.equals(MESSAGE_ID)
        && !lower.equals(CONTENT_TYPE)
        && !lower.equals(BODY_ENCODING)
        && !lower.equals(HEADERS);
  }

  /**
   * Decodes a received message.
   *
   * @param m the SQS message
   * @return the inbound message
   */
  public static InboundMessage decode(Message m) {
    Map<String, MessageAttributeValue> attributes = m.messageAttributes();
    Map<String, String> headers = new HashMap<>();
    for (Map.Entry<String, MessageAttributeValue> a : attributes.entrySet()) {
      String name = a.getKey();
      if (a.getValue().stringValue() != null
          && !name.equals(MESSAGE_ID)
          && !name.equals(CONTENT_TYPE)
          && !name.equals(BODY_ENCODING)
          && !name.equals(HEADERS)) {
        headers.put(name, a.getValue().stringValue());
      }
    }
    String packed = value(attributes, HEADERS);
    if (packed != null) {
      try {
        headers.putAll(JSON.readValue(packed, MAP));
      } catch (JsonProcessingException e) {
        headers.put(HEADERS, packed);
      }
    }
    String messageId = value(attributes, MESSAGE_ID);
    String contentType = value(attributes, CONTENT_TYPE);
    String encoding = value(attributes, BODY_ENCODING);
    String raw = m.body() == null ? "" : m.body();
    byte[] body =
        "base64".equals(encoding)
            ? Base64.getDecoder().decode(raw)
            : "empty".equals(encoding) ? new byte[0] : raw.getBytes(StandardCharsets.UTF_8);
    String count = m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
    int deliveryCount = count == null ? 0 : Integer.parseInt(count);
    return new InboundMessage(
        messageId == null ? m.messageId() : messageId,
        headers,
        body,
        contentType == null ? Payload.OCTET_STREAM : contentType,
        deliveryCount,
        deliveryCount > 1);
  }

  private static String value(Map<String, MessageAttributeValue> attributes, String name) {
    MessageAttributeValue v = attributes.get(name);
    return v == null ? null : v.stringValue();
  }

  /** Returns the body as text if SQS can carry it as it is, else null. */
  private static String textBody(byte[] bytes) {
    if (bytes.length == 0) {
      return null;
    }
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return isSqsText(text) ? text : null;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** SQS accepts #x9, #xA, #xD, #x20 to #xD7FF, #xE000 to #xFFFD and #x10000 to #x10FFFF. */
  static boolean isSqsText(String s) {
    return s.codePoints()
        .allMatch(
            c ->
                c == 0x9
                    || c == 0xA
                    || c == 0xD
                    || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD)
                    || (c >= 0x10000 && c <= 0x10FFFF));
  }

  /**
   * Returns a valid FIFO group or deduplication id: the value itself if valid, else its SHA-256.
   */
  static String sqsId(String value) {
    if (SQS_ID.matcher(value).matches()) {
      return value;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static MessageAttributeValue text(String value) {
    return MessageAttributeValue.builder().dataType(STRING).stringValue(value).build();
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
