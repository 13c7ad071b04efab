package dev.postoffice.examples.model;

/**
 * A shipment notice in Acme's API (the partner model of the downstream route, layer 3).
 *
 * @param reference Acme's reference for it: {@code "SHP-"} and the core's shipment number
 * @param order Acme's order number
 * @param deliverTo the address on one line
 * @param packages how many parcels
 */
public record AcmeShipment(String reference, String order, String deliverTo, int packages) {}
