package dev.postoffice.examples.model;

/**
 * One line of an {@link AcmeOrder}, as Acme sends it.
 *
 * @param sku Acme's article number; required
 * @param quantity how many; at least 1
 */
public record AcmeOrderLine(String sku, int quantity) {}
