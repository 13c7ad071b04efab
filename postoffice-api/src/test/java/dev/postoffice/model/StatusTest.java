package dev.postoffice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.IllegalStatusTransitionException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("The status lifecycle")
class StatusTest {
  /**
   * The whole table, written out independently of Status's own: any change to either must be
   * deliberate.
   */
  private static final Map<Status, Set<Status>> EXPECTED =
      Map.ofEntries(
          Map.entry(
              Status.JUST_IN,
              EnumSet.of(
                  Status.PROCESSED,
                  Status.FILTERED,
                  Status.QUEUED,
                  Status.DISPATCHED,
                  Status.RETRYING,
                  Status.FAILED,
                  Status.REJECTED,
                  Status.SUPERSEDED,
                  Status.ACKNOWLEDGED)),
          Map.entry(
              Status.RETRYING,
              EnumSet.of(
                  Status.PROCESSED,
                  Status.FILTERED,
                  Status.QUEUED,
                  Status.DISPATCHED,
                  Status.RETRYING,
                  Status.FAILED,
                  Status.REJECTED,
                  Status.SUPERSEDED,
                  Status.ACKNOWLEDGED)),
          Map.entry(
              Status.QUEUED,
              EnumSet.of(
                  Status.ACKNOWLEDGED,
                  Status.JUST_IN,
                  Status.FAILED,
                  Status.REJECTED,
                  Status.SUPERSEDED)),
          Map.entry(Status.PROCESSED, EnumSet.of(Status.JUST_IN, Status.SUPERSEDED)),
          Map.entry(Status.FILTERED, EnumSet.of(Status.JUST_IN, Status.SUPERSEDED)),
          Map.entry(Status.ACKNOWLEDGED, EnumSet.of(Status.JUST_IN, Status.SUPERSEDED)),
          Map.entry(Status.DISPATCHED, EnumSet.of(Status.JUST_IN, Status.SUPERSEDED)),
          Map.entry(
              Status.FAILED,
              EnumSet.of(Status.JUST_IN, Status.SUPERSEDED, Status.ACKNOWLEDGED, Status.REJECTED)),
          Map.entry(
              Status.REJECTED, EnumSet.of(Status.JUST_IN, Status.SUPERSEDED, Status.ACKNOWLEDGED)),
          Map.entry(Status.DUPLICATE, EnumSet.noneOf(Status.class)),
          Map.entry(Status.SUPERSEDED, EnumSet.noneOf(Status.class)));

  static Stream<Arguments> everyPair() {
    return Stream.of(Status.values())
        .flatMap(from -> Stream.of(Status.values()).map(to -> Arguments.of(from, to)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("everyPair")
  @DisplayName("allows exactly the moves of the table and throws on every other")
  void everyPairOfStatuses(Status from, Status to) {
    boolean allowed = EXPECTED.get(from).contains(to);
    assertThat(from.canMoveTo(to)).isEqualTo(allowed);
    EntryId id = EntryId.of("e-1");
    if (allowed) {
      assertThatCode(() -> IllegalStatusTransitionException.check(id, from, to))
          .doesNotThrowAnyException();
    } else {
      assertThatThrownBy(() -> IllegalStatusTransitionException.check(id, from, to))
          .isInstanceOfSatisfying(
              IllegalStatusTransitionException.class,
              e -> {
                assertThat(e.entryId()).isEqualTo(id);
                assertThat(e.from()).isEqualTo(from);
                assertThat(e.to()).isEqualTo(to);
              })
          .hasMessageStartingWith("entry e-1 cannot move from " + from.name() + " to " + to.name());
    }
  }

  @Test
  @DisplayName(
      "an acknowledgement is taken from every status but Superseded (and Acknowledged, which it is)")
  void acknowledgementIsTakenLate() {
    for (Status s : Status.values()) {
      boolean expected =
          s != Status.SUPERSEDED
              && s != Status.ACKNOWLEDGED
              && s != Status.DUPLICATE
              && s != Status.PROCESSED
              && s != Status.FILTERED
              && s != Status.DISPATCHED;
      assertThat(s.acceptsAcknowledgement()).as(s.name()).isEqualTo(expected);
    }
  }

  @Test
  @DisplayName("names the seed statuses exactly as the design does")
  void seedNames() {
    assertThat(Status.JUST_IN.displayName()).isEqualTo("Just In");
    assertThat(Status.QUEUED.displayName()).isEqualTo("Queued");
    assertThat(Status.ACKNOWLEDGED.displayName()).isEqualTo("Acknowledged");
  }

  @Test
  @DisplayName("only Just In and Retrying are claimable; only they and Queued are unfinished")
  void claimableAndTerminal() {
    for (Status s : Status.values()) {
      assertThat(s.isClaimable())
          .as(s.name())
          .isEqualTo(s == Status.JUST_IN || s == Status.RETRYING);
      assertThat(s.isTerminal()).as(s.name()).isEqualTo(!s.isClaimable() && s != Status.QUEUED);
    }
  }
}
