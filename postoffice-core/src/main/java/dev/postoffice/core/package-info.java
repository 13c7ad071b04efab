/**
 * Composing and running pipelines: {@link dev.postoffice.core.PostOffice#builder()}, {@link
 * dev.postoffice.core.Route}, {@link dev.postoffice.core.Pipeline} and their settings.
 */
package dev.postoffice.core;
