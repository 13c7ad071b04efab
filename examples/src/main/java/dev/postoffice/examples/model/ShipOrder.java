package dev.postoffice.examples.model;

/**
 * The core's command to ship an order (the core model of the downstream route, layer 4), sent with
 * {@code CoreAppSender}.
 *
 * @param shipmentId the core's shipment number; the stable message id the core sends it with
 * @param partnerOrderId the partner's order number
 * @param street the delivery street and number
 * @param city the delivery city
 * @param parcels how many parcels
 */
public record ShipOrder(
    String shipmentId, String partnerOrderId, String street, String city, int parcels) {}
