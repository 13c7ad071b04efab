package dev.postoffice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.RawMessage;
import java.util.Objects;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The example's traffic")
class AcmeTrafficTest {
  @Test
  @DisplayName(
      "holds exactly the requested number of deliveries, with every malformed and resent one")
  void counts() {
    AcmeTraffic.Orders orders = AcmeTraffic.orders(3_000);

    assertThat(orders.messages()).hasSize(3_000);
    assertThat(orders.orders() + orders.malformed() + orders.resent()).isEqualTo(3_000);
    assertThat(orders.messages())
        .filteredOn(m -> m.dedupKey().startsWith("acme-delivery-bad-"))
        .hasSize(AcmeTraffic.MALFORMED.size());
    assertThat(
            orders.messages().stream()
                .map(RawMessage::dedupKey)
                .filter(Objects::nonNull)
                .distinct())
        .hasSize(3_000 - AcmeTraffic.RESENT);
  }
}
