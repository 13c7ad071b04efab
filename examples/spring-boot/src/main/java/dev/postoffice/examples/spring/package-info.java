/**
 * A Spring Boot application with the PostOffice starter: one upstream route from a shop's order
 * webhook to the Core App's queue, built from a {@code Route} bean and a few properties.
 */
package dev.postoffice.examples.spring;
