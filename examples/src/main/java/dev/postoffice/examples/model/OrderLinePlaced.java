package dev.postoffice.examples.model;

/**
 * The core's event for one ordered line (the core model of the upstream route, layer 3). One Acme
 * order becomes one of these per line: a fan-out, each linked to its source order.
 *
 * @param partner who sent the order, such as {@code "acme"}
 * @param partnerOrderId the partner's order number
 * @param lineNumber the line's position in the order, from 1
 * @param article the article number
 * @param quantity how many
 */
public record OrderLinePlaced(
    String partner, String partnerOrderId, int lineNumber, String article, int quantity) {}
