package dev.postoffice.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.model.EntryId;
import dev.postoffice.model.Status;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("StorableText")
class StorableTextTest {
  private static final String PAIR =
      new String(Character.toChars(0x1F4E6)); // a valid surrogate pair

  @Test
  @DisplayName("replaces NUL and unpaired surrogates, keeps valid pairs and the length")
  void cleans() {
    String text = "a\0b" + (char) 0xD800 + "c" + (char) 0xDC00 + PAIR + (char) 0xDBFF;

    String cleaned = StorableText.clean(text);

    assertThat(cleaned).isEqualTo("a\uFFFDb\uFFFDc\uFFFD" + PAIR + "\uFFFD").hasSameSizeAs(text);
  }

  @Test
  @DisplayName("returns the same instance when there is nothing to clean")
  void sameInstance() {
    String text = "nothing to see " + PAIR;
    assertThat(StorableText.clean(text)).isSameAs(text);
    assertThat(StorableText.detail(text)).isSameAs(text);
    assertThat(StorableText.detail(null)).isNull();
  }

  @Test
  @DisplayName(
      "cuts a detail to the cap, saying how many characters were left out, never splitting a pair")
  void cuts() {
    String text = "y".repeat(StorableText.MAX_DETAIL_LENGTH - 40) + PAIR.repeat(100);

    String kept = StorableText.detail(text);

    int keptChars = kept.indexOf(StorableText.CUT_MARK);
    assertThat(kept)
        .hasSizeLessThanOrEqualTo(StorableText.MAX_DETAIL_LENGTH)
        .endsWith(StorableText.CUT_MARK + (text.length() - keptChars) + " more characters]")
        .doesNotContain("\uFFFD");
    assertThat(text).startsWith(kept.substring(0, keptChars));
  }

  @Test
  @DisplayName("Completion and NewEntry clean their text when built")
  void recordsClean() {
    Completion c =
        new Completion(EntryId.random(), "node", 1, Status.FAILED, "d\0", "e\0", null, null);
    assertThat(c.detail()).isEqualTo("d\uFFFD");
    assertThat(c.lastError()).isEqualTo("e\uFFFD");
  }

  @Test
  @DisplayName("a dedup key that needs cleaning becomes its hash, so look-alike keys stay distinct")
  void dedupKeys() {
    assertThat(StorableText.dedupKey("order-1")).isEqualTo("order-1");
    String withNul = StorableText.dedupKey("a\0");
    assertThat(withNul)
        .startsWith("sha256:")
        .hasSize(71)
        .isEqualTo(StorableText.dedupKey("a\0"))
        .isNotEqualTo(StorableText.dedupKey("a\uFFFD"))
        .isNotEqualTo(StorableText.dedupKey("a" + (char) 0xD800));
  }
}
