/** Listener SPI and typed events for metrics and alerting. */
package dev.postoffice.event;
