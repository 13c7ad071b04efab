package dev.postoffice.rabbit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RabbitTransportSettings.toString()")
class RabbitTransportSettingsNamesTest {
  @Test
  @DisplayName("names the exchanges as the broker knows them, with the name prefix")
  void exchangesWithPrefix() {
    RabbitTransportSettings settings =
        RabbitTransportSettings.builder().namePrefix("shop.").exchange("orders").build();

    assertThat(settings.toString())
        .contains("exchange=shop.orders,")
        .contains("deadLetterExchange=shop.postoffice.dead-letter,");
  }
}
