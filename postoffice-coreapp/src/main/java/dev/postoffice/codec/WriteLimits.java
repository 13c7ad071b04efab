package dev.postoffice.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Holds a generator to the limits {@link JacksonCodec} reads with, so the codec never writes a
 * document it would then refuse to read. Jackson constrains only the nesting depth of what it
 * writes; string, property name and number lengths are checked here, as they are written.
 */
final class WriteLimits extends JsonGeneratorDelegate {
  /**
   * A write over a limit; {@link JacksonCodec#encode} turns it into a {@code
   * RejectedInputException}.
   */
  static final class Exceeded extends StreamConstraintsException {
    private static final long serialVersionUID = 1L;

    Exceeded(String message) {
      super(message);
    }
  }

  private final int maxString;
  private final int maxName;
  private final int maxNumber;

  WriteLimits(JsonGenerator delegate, int maxString, int maxName, int maxNumber) {
    super(delegate, true);
    this.maxString = maxString;
    this.maxName = maxName;
    this.maxNumber = maxNumber;
  }

  @Override
  public void writeString(String text) throws IOException {
    if (text != null) {
      checkString(text.length());
    }
    super.writeString(text);
  }

  @Override
  public void writeString(char[] text, int offset, int len) throws IOException {
    checkString(len);
    super.writeString(text, offset, len);
  }

  @Override
  public void writeString(SerializableString text) throws IOException {
    checkString(text.charLength());
    super.writeString(text);
  }

  @Override
  public void writeString(java.io.Reader reader, int len) throws IOException {
    checkString(len);
    super.writeString(reader, len);
  }

  @Override
  public void writeUTF8String(byte[] text, int offset, int length) throws IOException {
    // Bytes, not characters: at least as many as the characters, so this never refuses what reads
    // accept
    // by more than the multi-byte characters; exact for ASCII.
    checkString(length);
    super.writeUTF8String(text, offset, length);
  }

  @Override
  public void writeFieldName(String name) throws IOException {
    checkName(name.length());
    super.writeFieldName(name);
  }

  @Override
  public void writeFieldName(SerializableString name) throws IOException {
    checkName(name.charLength());
    super.writeFieldName(name);
  }

  @Override
  public void writeNumber(BigDecimal value) throws IOException {
    if (value != null) {
      checkNumber(
          isEnabled(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN.mappedFeature())
              ? value.toPlainString().length()
              : value.toString().length());
    }
    super.writeNumber(value);
  }

  @Override
  public void writeNumber(BigInteger value) throws IOException {
    if (value != null) {
      checkNumber(value.toString().length());
    }
    super.writeNumber(value);
  }

  @Override
  public void writeNumber(String encodedValue) throws IOException {
    if (encodedValue != null) {
      checkNumber(encodedValue.length());
    }
    super.writeNumber(encodedValue);
  }

  private void checkString(int length) throws Exceeded {
    if (length > maxString) {
      throw new Exceeded(
          "a string of "
              + length
              + " characters is over the codec's limit of "
              + maxString
              + " (JacksonCodec.DEFAULT_MAX_STRING_LENGTH); decoding would refuse it");
    }
  }

  private void checkName(int length) throws Exceeded {
    if (length > maxName) {
      throw new Exceeded(
          "a property name of "
              + length
              + " characters is over the codec's limit of "
              + maxName
              + " (JacksonCodec.DEFAULT_MAX_NAME_LENGTH); decoding would refuse it");
    }
  }

  private void checkNumber(int length) throws Exceeded {
    if (length > maxNumber) {
      throw new Exceeded(
          "a number of "
              + length
              + " characters is over the codec's limit of "
              + maxNumber
              + " (JacksonCodec.DEFAULT_MAX_NUMBER_LENGTH); decoding would refuse it");
    }
  }
}
