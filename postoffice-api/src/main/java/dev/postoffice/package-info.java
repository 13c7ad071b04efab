/**
 * The interfaces a host implements ({@link dev.postoffice.Normalizer}, {@link
 * dev.postoffice.Translator}, {@link dev.postoffice.RequestNormalizer}, {@link
 * dev.postoffice.Dispatcher}, {@link dev.postoffice.Ingestor}) or calls ({@link
 * dev.postoffice.Intake}), and the exceptions PostOffice throws.
 */
package dev.postoffice;
