/**
 * Built-in layer-1 ingestors: a webhook handler (framework-neutral, plus a binding on the JDK HTTP
 * server), a polling ingestor that stores each page with its cursor in one store transaction, and a
 * file-drop ingestor. Each feeds an upstream route's {@link dev.postoffice.Intake}; register them
 * with {@code PipelineBuilder.ingestor(route, ingestor)}. See {@code docs/connectors.md}.
 */
package dev.postoffice.core.intake;
