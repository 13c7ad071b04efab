/**
 * Micrometer meters for a PostOffice pipeline: {@link dev.postoffice.micrometer.PostOfficeMetrics}
 * is the one binder a host registers, and {@link dev.postoffice.micrometer.MeterNames} names every
 * meter it publishes.
 */
package dev.postoffice.micrometer;
