package dev.postoffice.examples.spring;

import dev.postoffice.IntakeReceipt;
import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The shop's webhook: stores each delivery first and answers 202 with the entry's id; the pipeline
 * does the rest. The shop's delivery id is the dedup key, so a redelivery is recorded as a
 * duplicate, not processed twice.
 */
@RestController
public class OrderWebhook {
  private final Pipeline pipeline;

  /**
   * @param pipeline the auto-configured pipeline
   */
  public OrderWebhook(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  /**
   * Takes one order in.
   *
   * @param deliveryId the shop's delivery id
   * @param body the order, JSON
   * @return 202 with the entry id and trace id
   */
  // tag::webhook[]
  @PostMapping(path = "/webhooks/orders", consumes = "application/json")
  public ResponseEntity<Map<String, Object>> receive(
      @RequestHeader("X-Delivery-Id") String deliveryId, @RequestBody String body) {
    IntakeReceipt receipt =
        pipeline.intake("shop-orders").submit(RawMessage.json(body, deliveryId));
    return ResponseEntity.accepted()
        .body(
            Map.of(
                "entry", receipt.entryId().toString(),
                "trace", receipt.traceId().toString(),
                "duplicate", receipt.isDuplicate()));
  }
  // end::webhook[]
}
