package dev.postoffice.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.postoffice.RejectedInputException;
import dev.postoffice.model.Payload;
import dev.postoffice.spi.Codec;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The default {@link Codec}: JSON through Jackson, with {@code java.time} support and deliberate
 * limits on what a document may make the parser do (nesting depth, string and number length), so a
 * hostile payload is rejected with a clear reason instead of exhausting memory or the stack.
 *
 * <p>The limits are the same both ways, so the codec never writes what it would refuse to read:
 *
 * <ul>
 *   <li>nesting of objects and arrays: at most {@value #DEFAULT_MAX_NESTING_DEPTH} levels;
 *   <li>a string value: at most {@value #DEFAULT_MAX_STRING_LENGTH} characters;
 *   <li>a property name: at most {@value #DEFAULT_MAX_NAME_LENGTH} characters;
 *   <li>a number: at most {@value #DEFAULT_MAX_NUMBER_LENGTH} characters.
 * </ul>
 *
 * <p>{@link #decode} refuses a document over a limit with a {@link RejectedInputException}; {@link
 * #encode} refuses a value that would be, with a {@link RejectedInputException} naming the field
 * and the limit (the entry whose stage produced it is then rejected, not retried). A codec made
 * with {@link #using} keeps the host's mapper as it is, with the host's limits.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * Codec codec = JacksonCodec.create();
 * AcmeOrder order = codec.decode(raw.payload(), AcmeOrder.class);
 * }</pre>
 */
public final class JacksonCodec implements Codec {
  /** The deepest nesting of objects and arrays accepted. */
  public static final int DEFAULT_MAX_NESTING_DEPTH = 64;

  /** The longest string value accepted, in characters. */
  public static final int DEFAULT_MAX_STRING_LENGTH = 1_000_000;

  /** The longest number accepted, in characters. */
  public static final int DEFAULT_MAX_NUMBER_LENGTH = 100;

  /** The longest property name accepted, in characters (Jackson's own default). */
  public static final int DEFAULT_MAX_NAME_LENGTH = 50_000;

  private final ObjectMapper mapper;

  private JacksonCodec(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * Returns a codec with the default limits and these decoding rules, each one chosen so that the
   * partner's data is kept as sent or refused with a reason, never silently changed:
   *
   * <ul>
   *   <li>unknown properties are ignored (partners add fields);
   *   <li>a missing or {@code null} value for a primitive component ({@code int}, {@code double},
   *       {@code boolean}, ...) is refused rather than read as zero; a missing reference is {@code
   *       null}, for the normalizer to check;
   *   <li>a number with a fraction for an integer component is refused rather than truncated; a
   *       string holding a number ({@code "42"}) is read as that number, and a number for a {@code
   *       String} component as its text;
   *   <li>dates are ISO-8601 strings both ways; an {@code OffsetDateTime} or {@code ZonedDateTime}
   *       keeps the offset it was sent with ({@code 2024-03-14T11:08:39-04:00} stays at {@code
   *       -04:00}), an {@code Instant} is the same moment in UTC.
   * </ul>
   *
   * @return the codec
   */
  public static JacksonCodec create() {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(DEFAULT_MAX_NESTING_DEPTH)
                    .maxStringLength(DEFAULT_MAX_STRING_LENGTH)
                    .maxNameLength(DEFAULT_MAX_NAME_LENGTH)
                    .maxNumberLength(DEFAULT_MAX_NUMBER_LENGTH)
                    .build())
            .streamWriteConstraints(
                StreamWriteConstraints.builder().maxNestingDepth(DEFAULT_MAX_NESTING_DEPTH).build())
            // Jackson limits only the depth of what it writes: the lengths are checked as they are
            // written.
            .addDecorator(
                (f, generator) ->
                    new WriteLimits(
                        generator,
                        DEFAULT_MAX_STRING_LENGTH,
                        DEFAULT_MAX_NAME_LENGTH,
                        DEFAULT_MAX_NUMBER_LENGTH))
            .build();
    ObjectMapper mapper =
        JsonMapper.builder(factory)
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // 1.5 for an int would silently become 1: the partner's data is refused, not truncated.
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // Keep the partner's offset: "11:08:39-04:00" stays that, not "15:08:39Z".
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            // "{...}}" or two documents in a row is malformed input, not the first document.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // 4111 for a boolean would silently become true: refused, as 1.5 for an int is.
            .withCoercionConfig(
                LogicalType.Boolean,
                config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
            .build();
    return new JacksonCodec(mapper);
  }

  /**
   * Returns a codec on the host's own mapper, for hosts with their own modules and settings. The
   * mapper must not be reconfigured afterwards.
   *
   * @param mapper the mapper
   * @return the codec
   */
  public static JacksonCodec using(ObjectMapper mapper) {
    return new JacksonCodec(Objects.requireNonNull(mapper, "mapper cannot be null"));
  }

  @Override
  public Payload encode(Object value) {
    Objects.requireNonNull(value, "value cannot be null");
    try {
      return Payload.wrap(mapper.writeValueAsBytes(value), Payload.JSON); // a fresh array: no copy
    } catch (JsonProcessingException e) {
      StreamConstraintsException limit = limitOf(e);
      if (limit != null) {
        throw new RejectedInputException(
            "cannot encode "
                + value.getClass().getSimpleName()
                + fieldOf(e, false)
                + ": "
                + limit.getOriginalMessage(),
            e);
      }
      throw new IllegalArgumentException(
          "cannot encode " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public <T> T decode(Payload payload, Class<T> type) {
    Objects.requireNonNull(payload, "payload cannot be null");
    Objects.requireNonNull(type, "type cannot be null");
    if (!isJson(payload.contentType())) {
      throw new RejectedInputException(
          "cannot decode content type '"
              + payload.contentType()
              + "' as "
              + type.getSimpleName()
              + ": expected application/json");
    }
    try {
      T value = mapper.readValue(payload.asInputStream(), type); // no copy of the bytes
      if (value == null) {
        throw new RejectedInputException(
            "cannot decode " + type.getSimpleName() + ": the document is null");
      }
      return value;
    } catch (JsonProcessingException e) {
      String where =
          (e.getLocation() == null
                  ? ""
                  : " at line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr())
              + fieldOf(e, true);
      // Jackson's exception is not kept as the cause: its message quotes the input, and a host
      // that logs the stack trace would print the values this message hides.
      throw new RejectedInputException(
          "cannot decode "
              + type.getSimpleName()
              + where
              + ": "
              + withoutValues(e.getOriginalMessage()),
          null);
    } catch (IOException e) {
      throw new RejectedInputException(
          "cannot decode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Returns the mapper, for hosts that parse partner formats with it.
   *
   * @return the mapper; do not reconfigure it
   */
  public ObjectMapper mapper() {
    return mapper;
  }

  /** Returns the limit a write went over, or null if the failure is another one. */
  private static StreamConstraintsException limitOf(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StreamConstraintsException limit) {
        return limit;
      }
    }
    return null;
  }

  /** Names the field a mapping error is about, such as {@code " (field lines[0].quantity)"}. */
  private static String fieldOf(JsonProcessingException e, boolean hideMapKeys) {
    if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
      return "";
    }
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : mapping.getPath()) {
      if (ref.getFieldName() != null) {
        // Decoding, a map's keys are the partner's data (ids, card numbers as keys); a class's
        // fields are not, nor the keys of a map the host encodes.
        String name =
            hideMapKeys && ref.getFrom() instanceof Map<?, ?> ? "(key hidden)" : ref.getFieldName();
        path.append(path.length() == 0 ? "" : ".").append(name);
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? "" : " (field " + path + ")";
  }

  /**
   * Makes a parser message safe to store and log: drops Jackson's "[Source: ...]" locations (the
   * position is already given) and hides the values taken from the input, which may be card numbers
   * or personal data. Jackson's own words stay readable: the JSON literals it names ({@code
   * 'null'}, {@code 'true'}, {@code 'false'}), the feature to set, field names in reference chains
   * ({@code ["quantity"]}) and type names, so the reason still says what was wrong and what was
   * expected.
   */
  static String withoutValues(String message) {
    if (message == null) {
      return "";
    }
    String text =
        message
            .replaceAll(" ?\\(start marker at \\[Source: [^\\]]*\\]\\)", "")
            .replaceAll(" ?at \\[Source: [^\\]]*\\]", "")
            .replaceAll(" ?\\[Source: [^\\]]*\\]", "")
            // The token itself is input ("Unrecognized token 'secret'"); the position says where.
            .replaceAll("(?i)(Unrecognized token) '[^']*'", "$1")
            // Jackson quotes a refused string unescaped: up to its own ": not a valid ..." is
            // input.
            .replaceAll("(from String) \".*\"(: not a valid)", "$1 " + HIDDEN + "$2")
            // Jackson's list of the words a boolean may be, read as one phrase.
            .replace(
                "only \"true\"/\"True\"/\"TRUE\" or \"false\"/\"False\"/\"FALSE\" recognized",
                "only true or false (in any case) recognized")
            // A double-quoted string from the input (escaped quotes included), except the JSON
            // literals Jackson names and field names in reference chains (["quantity"]).
            .replaceAll("(?<!\\[)\"(?!(?:true|false|null)\")(?:[^\"\\\\]|\\\\.)*\"(?!\\])", HIDDEN)
            .replaceAll("(?i)(numeric value) \\([^)]*\\)", "$1 " + HIDDEN)
            .replaceAll(
                "(?i)((?:Floating-point|Integer|Boolean|String) value) \\([^)]*\\)",
                "$1 " + HIDDEN);
    text = hideQuotedInput(text);
    // "was expecting (JSON String, ... 'false')" reads better without the parentheses.
    return text.replaceAll("(was expecting|expected a valid value) \\((.*)\\)$", "$1 $2").trim();
  }

  /** What a hidden input value is replaced with. */
  static final String HIDDEN = "(value hidden)";

  /**
   * Jackson's own words that it quotes in single quotes: the JSON literals and the values it names
   * for a feature to set. Anything else in single quotes of two or more characters came from the
   * input ({@code Text '4111-...' could not be parsed}). One character is kept: it is the
   * unexpected character ({@code ('x' (code 120))}), a syntax clue rather than data.
   */
  private static final Set<String> JACKSON_WORDS =
      Set.of(
          "null",
          "true",
          "false",
          "NaN",
          "INF",
          "+INF",
          "-INF",
          "Infinity",
          "+Infinity",
          "-Infinity");

  private static final Pattern SINGLE_QUOTED = Pattern.compile("'([^']{2,})'");

  private static String hideQuotedInput(String text) {
    Matcher quoted = SINGLE_QUOTED.matcher(text);
    StringBuilder out = new StringBuilder();
    while (quoted.find()) {
      String replacement = JACKSON_WORDS.contains(quoted.group(1)) ? quoted.group() : HIDDEN;
      quoted.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    return quoted.appendTail(out).toString();
  }

  private static boolean isJson(String contentType) {
    if (contentType.equals(Payload.JSON)) {
      return true; // the common case, without parsing
    }
    String base = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
    return base.equals("application/json") || base.endsWith("+json") || base.equals("text/json");
  }
}
