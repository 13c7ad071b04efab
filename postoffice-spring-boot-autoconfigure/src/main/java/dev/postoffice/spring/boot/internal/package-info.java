/**
 * The auto-configuration's parts: which store and transport to create, the pipeline's assembly, the
 * listener fan-out. Internal: no compatibility promise; use the properties and beans of {@code
 * dev.postoffice.spring.boot} instead.
 */
package dev.postoffice.spring.boot.internal;
