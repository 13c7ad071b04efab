package dev.postoffice.examples.spring;

import java.math.BigDecimal;

/**
 * The Core App's message for a new order.
 *
 * @param orderId the order's id
 * @param total the order total
 */
public record OrderPlaced(String orderId, BigDecimal total) {}
