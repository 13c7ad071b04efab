package dev.postoffice.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Makes text that a store writes storable in every database: the one place where PostOffice cleans
 * the text it did not write itself (a partner's answer excerpt, an exception message, a dedup key
 * taken from a JSON body, a Core App's rejection reason) before it reaches a text column.
 *
 * <p>Why: PostgreSQL refuses the NUL character (U+0000) in any text column, and every database
 * refuses or mangles an unpaired UTF-16 surrogate. Such a value used to fail the whole commit of a
 * batch, which was then claimed and worked on again after every lease, repeating its publishes and
 * partner calls forever. Cleaning replaces each such character with U+FFFD (the replacement
 * character) and caps the length, so the text always commits and still reads as what it was.
 *
 * <p>{@link Completion} and {@link NewEntry} clean their text fields when they are built (a dedup
 * key with {@link #dedupKey}); a store cleans the {@code detail} of {@link StatusStore#transition}
 * and {@link StatusStore#replay} with {@link #detail}.
 */
public final class StorableText {
  /**
   * The longest detail or error text kept, in characters: {@value}. Longer text is cut and ends
   * with {@link #CUT_MARK} and the number of characters left out.
   */
  public static final int MAX_DETAIL_LENGTH = 4000;

  /** The longest content type kept, in characters: {@value} (the stores' column size). */
  public static final int MAX_CONTENT_TYPE_LENGTH = 255;

  /** What replaces a character no database can store: U+FFFD. */
  public static final char REPLACEMENT = '\uFFFD';

  /** The start of the note that ends a cut text. */
  public static final String CUT_MARK = "... [cut: ";

  private StorableText() {}

  /**
   * Cleans a detail or error text and caps it at {@value #MAX_DETAIL_LENGTH} characters.
   *
   * @param text the text, or null
   * @return the storable text, or null if {@code text} was null; the same instance when nothing
   *     changed
   */
  public static String detail(String text) {
    if (text == null) {
      return null;
    }
    String capped = text;
    if (text.length() > MAX_DETAIL_LENGTH) {
      // Room for the note with as many digits as the whole length has: the count left out has no
      // more.
      int keep = MAX_DETAIL_LENGTH - cutNote(text.length()).length();
      if (Character.isHighSurrogate(text.charAt(keep - 1))) {
        keep--; // never split a surrogate pair: its first half alone would be replaced
      }
      capped = text.substring(0, keep) + cutNote(text.length() - keep);
    }
    return clean(capped);
  }

  /**
   * Makes a dedup key storable without making two keys one: a key with a character {@link #clean}
   * would replace becomes {@code sha256:} and the hex SHA-256 of its UTF-16 code units (71
   * characters), so {@code "a\0"} and {@code "a\uFFFD"} stay distinct keys.
   *
   * @param key the key, or null
   * @return the storable key, or null if {@code key} was null; the same instance when nothing had
   *     to change
   */
  public static String dedupKey(String key) {
    if (key == null || firstUnstorable(key) < 0) {
      return key;
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_16BE));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * Makes a content type storable: cleaned, and cut to {@value #MAX_CONTENT_TYPE_LENGTH} characters
   * (no media type that long is valid, so a cut one fails the codec's content-type check with a
   * readable reason).
   *
   * @param contentType the content type, or null
   * @return the storable content type, or null if it was null; the same instance when nothing
   *     changed
   */
  public static String contentType(String contentType) {
    if (contentType == null) {
      return null;
    }
    String cut =
        contentType.length() <= MAX_CONTENT_TYPE_LENGTH
            ? contentType
            : contentType.substring(0, MAX_CONTENT_TYPE_LENGTH);
    return clean(cut);
  }

  private static String cutNote(int leftOut) {
    return CUT_MARK + leftOut + " more characters]";
  }

  /**
   * Replaces the characters no database can store (NUL and unpaired surrogates) with {@link
   * #REPLACEMENT}, keeping the length.
   *
   * @param text the text, or null
   * @return the storable text, or null if {@code text} was null; the same instance when nothing
   *     changed
   */
  public static String clean(String text) {
    if (text == null) {
      return null;
    }
    int bad = firstUnstorable(text);
    if (bad < 0) {
      return text; // the common case: one scan, no copy
    }
    char[] chars = text.toCharArray();
    for (int i = bad; i < chars.length; i++) {
      char c = chars[i];
      if (c == '\0') {
        chars[i] = REPLACEMENT;
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 < chars.length && Character.isLowSurrogate(chars[i + 1])) {
          i++; // a valid pair
        } else {
          chars[i] = REPLACEMENT;
        }
      } else if (Character.isLowSurrogate(c)) {
        chars[i] = REPLACEMENT;
      }
    }
    return new String(chars);
  }

  /**
   * @return the index of the first character {@link #clean} would replace, or -1
   */
  private static int firstUnstorable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\0') {
        return i;
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < text.length()
            && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }
}
