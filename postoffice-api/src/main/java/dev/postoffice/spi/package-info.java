/**
 * Service-provider interfaces: {@link dev.postoffice.spi.StatusStore}, {@link
 * dev.postoffice.spi.Transport}, {@link dev.postoffice.spi.ReceiptLog} and {@link
 * dev.postoffice.spi.Codec}. Their Javadoc is the contract that {@code postoffice-testkit} checks;
 * each sentence there has a test.
 */
package dev.postoffice.spi;
