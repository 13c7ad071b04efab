package dev.postoffice.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.model.Entry;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Payload;
import dev.postoffice.model.Status;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.StorableText;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.store.StatusStoreContract} group "text no database
 * takes as is (NUL, unpaired surrogates, megabytes)". Text no database takes as is is stored
 * cleaned and cut, never refused.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class UnstorableTextContract extends StoreContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected UnstorableTextContract(StoreFixture fixture) {
    super(fixture);
  }

  private static final String NUL_TEXT = "partner said \0 here " + (char) 0xD800 + " and here";
  private static final String CLEANED = "partner said \uFFFD here \uFFFD and here";

  @Test
  @DisplayName(
      "a commit whose detail and error carry NUL and an unpaired surrogate is applied, the text"
          + " cleaned")
  void nulInDetailAndError() {
    intakeOne();
    Entry claimed = claim(1).get(0);
    Completion c =
        new Completion(
            claimed.id(),
            OWNER,
            claimed.attempts(),
            Status.RETRYING,
            NUL_TEXT,
            NUL_TEXT,
            now().plusSeconds(5),
            List.of());

    assertThat(commit(c).applied()).containsExactly(claimed.id());
    assertThat(get(claimed.id()).lastError()).isEqualTo(CLEANED);
    assertThat(history(claimed.id())).last().extracting(HistoryRecord::detail).isEqualTo(CLEANED);
  }

  @Test
  @DisplayName(
      "a 10 MB error is kept cut to StorableText.MAX_DETAIL_LENGTH, saying how much was cut")
  void hugeError() {
    intakeOne();
    Entry claimed = claim(1).get(0);
    String huge = "x".repeat(10 * 1024 * 1024);
    Completion c =
        new Completion(
            claimed.id(), OWNER, claimed.attempts(), Status.FAILED, huge, huge, null, List.of());

    assertThat(commit(c).applied()).containsExactly(claimed.id());
    String kept = get(claimed.id()).lastError();
    assertThat(kept)
        .hasSize(StorableText.MAX_DETAIL_LENGTH)
        .startsWith("xxx")
        .contains(StorableText.CUT_MARK)
        .endsWith(" more characters]");
  }

  @Test
  @DisplayName(
      "a dedup key with NUL is stored, still deduplicates, and does not collide with its cleaned"
          + " look-alike")
  void nulInDedupKey() {
    List<IntakeResult> first = intake(withDedup(root(), "order-\0" + "1"));
    List<IntakeResult> second = intake(withDedup(root(), "order-\0" + "1"));
    List<IntakeResult> lookAlike = intake(withDedup(root(), "order-\uFFFD1"));

    assertThat(first.get(0).isDuplicate()).isFalse();
    assertThat(second.get(0).isDuplicate()).isTrue();
    assertThat(lookAlike.get(0).isDuplicate()).isFalse();
  }

  @Test
  @DisplayName(
      "a content type with NUL and 1,000 characters is stored cleaned and cut to the column")
  void hugeContentType() {
    NewEntry n = root();
    String contentType = "application/json; x=" + "\0".repeat(3) + "y".repeat(1000);
    NewEntry odd =
        new NewEntry(
            n.id(),
            n.route(),
            n.direction(),
            n.layer(),
            Payload.ofUtf8("{}", contentType),
            n.headers(),
            null,
            n.traceId(),
            null,
            "ingestor@1",
            null);

    Entry stored = intakeOne(odd);

    assertThat(stored.payload().contentType())
        .hasSize(StorableText.MAX_CONTENT_TYPE_LENGTH)
        .startsWith("application/json; x=\uFFFD\uFFFD\uFFFDyyy");
    assertThat(stored.payload().asUtf8()).isEqualTo("{}");
  }

  @Test
  @DisplayName("transition and replay details with NUL are stored cleaned")
  void nulInTransitionAndReplay() {
    Entry e = entryIn(Status.QUEUED);
    tick();
    store.transition(e.id(), Set.of(Status.QUEUED), Status.FAILED, NUL_TEXT, now());
    assertThat(history(e.id())).last().extracting(HistoryRecord::detail).isEqualTo(CLEANED);

    tick();
    store.replay(e.id(), NUL_TEXT, now());
    assertThat(history(e.id())).last().extracting(HistoryRecord::detail).isEqualTo(CLEANED);
  }
}
