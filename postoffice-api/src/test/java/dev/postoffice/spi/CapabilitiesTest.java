package dev.postoffice.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The capabilities a store or transport declares")
class CapabilitiesTest {

  @Nested
  @DisplayName("StoreCapabilities")
  class Store {
    @Test
    @DisplayName("declares nothing supported unless the builder is told")
    void defaults() {
      assertThat(StoreCapabilities.builder().build())
          .isEqualTo(StoreCapabilities.none())
          .isEqualTo(new StoreCapabilities(false, false, false));
    }

    @Test
    @DisplayName("sets each capability by name")
    void eachByName() {
      assertThat(StoreCapabilities.builder().durable(true).build())
          .isEqualTo(new StoreCapabilities(true, false, false));
      assertThat(StoreCapabilities.builder().sharedAcrossNodes(true).build())
          .isEqualTo(new StoreCapabilities(false, true, false));
      assertThat(StoreCapabilities.builder().skipLocked(true).build())
          .isEqualTo(new StoreCapabilities(false, false, true));
    }
  }

  @Nested
  @DisplayName("TransportCapabilities")
  class Transport {
    @Test
    @DisplayName("declares nothing supported and no size limit unless the builder is told")
    void defaults() {
      assertThat(TransportCapabilities.builder().build())
          .isEqualTo(TransportCapabilities.none())
          .isEqualTo(new TransportCapabilities(false, false, false, Integer.MAX_VALUE));
      assertThat(TransportCapabilities.UNLIMITED_MESSAGE_BYTES).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    @DisplayName("sets each capability by name")
    void eachByName() {
      assertThat(TransportCapabilities.builder().durable(true).build())
          .isEqualTo(new TransportCapabilities(true, false, false, Integer.MAX_VALUE));
      assertThat(TransportCapabilities.builder().confirmsPublishes(true).build())
          .isEqualTo(new TransportCapabilities(false, true, false, Integer.MAX_VALUE));
      assertThat(TransportCapabilities.builder().deliveryCount(true).build())
          .isEqualTo(new TransportCapabilities(false, false, true, Integer.MAX_VALUE));
      assertThat(TransportCapabilities.builder().maxMessageBytes(1024).build())
          .isEqualTo(new TransportCapabilities(false, false, false, 1024));
    }

    @Test
    @DisplayName("refuses a size limit below one byte")
    void refusesNonPositiveLimit() {
      assertThatThrownBy(() -> TransportCapabilities.builder().maxMessageBytes(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("maxMessageBytes must be >= 1, but was 0");
    }
  }
}
