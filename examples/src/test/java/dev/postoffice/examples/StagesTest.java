package dev.postoffice.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.PartnerRequest;
import dev.postoffice.RawMessage;
import dev.postoffice.RejectedInputException;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.examples.model.AcmeOrder;
import dev.postoffice.examples.model.AcmeOrderLine;
import dev.postoffice.examples.model.AcmeShipment;
import dev.postoffice.examples.model.OrderLinePlaced;
import dev.postoffice.examples.model.ShipOrder;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The example's stages, as plain functions")
class StagesTest {
  private final JacksonCodec codec = JacksonCodec.create();

  @Nested
  @DisplayName("The order translator")
  class Translator {
    @Test
    @DisplayName("maps every line of an order to its own core event, in order")
    void fanOut() {
      // tag::translatorUnitTest[]
      AcmeOrder order =
          new AcmeOrder(
              "A-1", "C-1", List.of(new AcmeOrderLine("SKU-1", 2), new AcmeOrderLine("SKU-2", 5)));

      List<OrderLinePlaced> events = new OrderTranslator().translate(order);

      assertThat(events)
          .containsExactly(
              new OrderLinePlaced("acme", "A-1", 1, "SKU-1", 2),
              new OrderLinePlaced("acme", "A-1", 2, "SKU-2", 5));
      // end::translatorUnitTest[]
    }
  }

  @Nested
  @DisplayName("The order normalizer")
  class Normalizer {
    private final AcmeOrderNormalizer normalizer = new AcmeOrderNormalizer(codec);

    @Test
    @DisplayName("parses a valid order and ignores fields it does not know")
    void parses() {
      AcmeOrder order =
          normalizer.normalize(
              RawMessage.json(
                  "{\"orderId\": \"A-1\", \"customer\": \"C-1\", \"channel\": \"web\","
                      + " \"lines\": [{\"sku\": \"SKU-1\", \"quantity\": 3}]}",
                  null));

      assertThat(order)
          .isEqualTo(new AcmeOrder("A-1", "C-1", List.of(new AcmeOrderLine("SKU-1", 3))));
    }

    @Test
    @DisplayName("rejects a missing field, naming it")
    void missingField() {
      assertThatThrownBy(
              () ->
                  normalizer.normalize(
                      RawMessage.json(
                          "{\"orderId\": \"A-1\", \"lines\": [{\"sku\": \"SKU-1\", \"quantity\": 3}]}",
                          null)))
          .isInstanceOf(RejectedInputException.class)
          .hasMessage("customer is required, but was missing");
    }

    @Test
    @DisplayName("rejects an invalid line, naming its position")
    void badLine() {
      assertThatThrownBy(
              () ->
                  normalizer.normalize(
                      RawMessage.json(
                          "{\"orderId\": \"A-1\", \"customer\": \"C-1\", \"lines\": [{\"sku\": \"SKU-1\", \"quantity\": 1},"
                              + " {\"sku\": \" \", \"quantity\": 1}]}",
                          null)))
          .isInstanceOf(RejectedInputException.class)
          .hasMessage("lines[1].sku is required, but was blank");
    }
  }

  @Nested
  @DisplayName("The shipment stages")
  class Shipments {
    @Test
    @DisplayName("translate a ship command into Acme's shipment and post it to Acme's API")
    void translateAndRequest() {
      AcmeShipment shipment =
          new ShipmentTranslator()
              .translate(new ShipOrder("S-1", "A-1", "1 Main Street", "Springfield", 2))
              .get(0);
      PartnerRequest request = new ShipmentRequestNormalizer(codec).toRequest(shipment);

      assertThat(shipment)
          .isEqualTo(new AcmeShipment("SHP-S-1", "A-1", "1 Main Street, Springfield", 2));
      assertThat(request.method()).isEqualTo("POST");
      assertThat(request.uri()).isEqualTo(ShipmentRequestNormalizer.SHIPMENTS_URI);
      assertThat(request.headers()).containsEntry("X-Acme-Api-Version", "3");
      assertThat(codec.decode(request.body(), AcmeShipment.class)).isEqualTo(shipment);
    }
  }
}
