package dev.postoffice.examples.model;

import java.util.List;

/**
 * Acme's order as its API sends it (the partner model of the upstream route, layer 2). Field names
 * follow Acme's JSON; nothing here belongs to the core.
 *
 * @param orderId Acme's order number; required
 * @param customer Acme's customer number; required
 * @param lines the ordered lines; at least one
 */
public record AcmeOrder(String orderId, String customer, List<AcmeOrderLine> lines) {}
