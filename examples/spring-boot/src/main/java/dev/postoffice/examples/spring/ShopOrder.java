package dev.postoffice.examples.spring;

import java.math.BigDecimal;

/**
 * The shop's order, as its webhook sends it (the partner's model).
 *
 * @param id the shop's order id
 * @param total the order total
 */
public record ShopOrder(String id, BigDecimal total) {}
