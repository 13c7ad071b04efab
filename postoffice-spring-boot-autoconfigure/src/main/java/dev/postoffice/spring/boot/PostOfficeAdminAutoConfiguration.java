package dev.postoffice.spring.boot;

import dev.postoffice.admin.AdminAuthenticator;
import dev.postoffice.admin.AdminHandler;
import dev.postoffice.admin.BearerTokens;
import dev.postoffice.admin.PayloadRedactor;
import dev.postoffice.core.Pipeline;
import dev.postoffice.spring.boot.internal.AdminServlet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Mounts the operator console ({@code postoffice-admin}) in the application's servlet container
 * when the module is on the class path and {@code postoffice.admin.enabled=true}: the handler on
 * the pipeline's operator API, authenticated by the host's {@link AdminAuthenticator} bean or the
 * tokens of {@link PostOfficeAdminProperties}, payloads through a {@link PayloadRedactor} bean if
 * there is one. Off by default: the console can replay and pause.
 */
@AutoConfiguration(after = PostOfficeAutoConfiguration.class)
@ConditionalOnClass({AdminHandler.class, jakarta.servlet.Servlet.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = "postoffice.admin", name = "enabled", havingValue = "true")
@ConditionalOnSingleCandidate(Pipeline.class)
@EnableConfigurationProperties(PostOfficeAdminProperties.class)
public class PostOfficeAdminAutoConfiguration {
  /** Creates the auto-configuration; Spring Boot does. */
  public PostOfficeAdminAutoConfiguration() {}

  /**
   * @param pipeline the pipeline whose operator API the console serves
   * @param properties the console's settings
   * @param authenticator the host's authenticator, if any (else the properties' tokens)
   * @param redactor the host's payload redactor, if any
   * @return the console's handler
   */
  @Bean
  @ConditionalOnMissingBean
  public AdminHandler postOfficeAdminHandler(
      Pipeline pipeline,
      PostOfficeAdminProperties properties,
      ObjectProvider<AdminAuthenticator> authenticator,
      ObjectProvider<PayloadRedactor> redactor) {
    AdminAuthenticator auth = authenticator.getIfUnique(() -> tokens(properties));
    AdminHandler.Builder builder =
        AdminHandler.builder(pipeline.operations())
            .enabled(true)
            .authenticator(auth)
            .pathPrefix(properties.getPath());
    redactor.ifUnique(builder::redactor);
    return builder.build();
  }

  /**
   * @param handler the console's handler
   * @param properties the console's settings (its path)
   * @return the servlet serving it under its path
   */
  @Bean
  @ConditionalOnMissingBean(name = "postOfficeAdminServlet")
  public ServletRegistrationBean<AdminServlet> postOfficeAdminServlet(
      AdminHandler handler, PostOfficeAdminProperties properties) {
    String path = properties.getPath();
    ServletRegistrationBean<AdminServlet> registration =
        new ServletRegistrationBean<>(
            new AdminServlet(handler), path.isEmpty() ? "/*" : path, path + "/*");
    registration.setName("postOfficeAdmin");
    return registration;
  }

  private static AdminAuthenticator tokens(PostOfficeAdminProperties properties) {
    if (properties.getOperatorTokens().isEmpty() && properties.getViewerTokens().isEmpty()) {
      throw new IllegalStateException(
          "postoffice.admin.enabled=true needs postoffice.admin.operator-tokens or viewer-tokens"
              + " (name: token), or an AdminAuthenticator bean");
    }
    BearerTokens.Builder tokens = BearerTokens.builder();
    properties.getOperatorTokens().forEach(tokens::operator);
    properties.getViewerTokens().forEach(tokens::viewer);
    return tokens.build();
  }
}
