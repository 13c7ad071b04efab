/**
 * Spring Boot auto-configuration for PostOffice: a pipeline built from {@code postoffice.*}
 * properties ({@link dev.postoffice.spring.boot.PostOfficeProperties}) and the application's beans
 * ({@code Route}, {@code DataSource}, RabbitMQ connection factory or {@code SqsClient}, {@link
 * dev.postoffice.spring.boot.RouteIngestor}, {@code PipelineListener}), started and stopped with
 * the application context ({@link dev.postoffice.spring.boot.PostOfficeLifecycle}), with an
 * actuator health indicator and Micrometer meters when those are on the class path.
 */
package dev.postoffice.spring.boot;
