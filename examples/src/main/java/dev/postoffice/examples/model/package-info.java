/**
 * The example's models: Acme's (the partner's) order and shipment, and the core's order line event
 * and ship command. Plain records; the JSON codec stores them between layers.
 */
package dev.postoffice.examples.model;
