/**
 * The runnable PostOffice example ({@link dev.postoffice.examples.ExampleApp}) and the routes,
 * stages and stand-ins it and the tests share: Acme's orders in ({@link
 * dev.postoffice.examples.AcmeRoutes#ORDERS}) and shipment notices out ({@link
 * dev.postoffice.examples.AcmeRoutes#SHIPMENTS}). Not an API module: no compatibility promise.
 */
package dev.postoffice.examples;
