package dev.postoffice.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.model.EntryId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("IntakeResult")
class IntakeResultTest {
  private final EntryId first = EntryId.of("e-1");
  private final EntryId second = EntryId.of("e-2");

  @Test
  @DisplayName("stored() is a new entry, not a duplicate")
  void stored() {
    assertThat(IntakeResult.stored(first))
        .isEqualTo(new IntakeResult(first, null))
        .returns(false, IntakeResult::isDuplicate);
  }

  @Test
  @DisplayName("duplicate() names the stored entry first and the original second")
  void duplicate() {
    assertThat(IntakeResult.duplicate(second, first))
        .isEqualTo(new IntakeResult(second, first))
        .returns(true, IntakeResult::isDuplicate);
  }

  @Test
  @DisplayName("refuses a null id with the argument's name")
  void refusesNulls() {
    assertThatThrownBy(() -> IntakeResult.stored(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("entryId cannot be null");
    assertThatThrownBy(() -> IntakeResult.duplicate(first, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("original cannot be null");
  }
}
