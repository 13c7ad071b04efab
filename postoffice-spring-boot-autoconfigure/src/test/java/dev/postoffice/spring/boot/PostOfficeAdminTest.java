package dev.postoffice.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.admin.AdminHandler;
import dev.postoffice.core.Route;
import dev.postoffice.spring.boot.internal.AdminServlet;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

@DisplayName("The operator console in a Spring Boot application")
class PostOfficeAdminTest {
  private static final String OPERATOR_TOKEN = "operator-token-0123456789";

  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  PostOfficeAutoConfiguration.class, PostOfficeAdminAutoConfiguration.class))
          .withPropertyValues("postoffice.auto-startup=false")
          .withBean(Route.class, () -> ShopRoutes.orders(ShopRoutes.QUEUE));

  @Test
  @DisplayName("is not served unless postoffice.admin.enabled=true")
  void offByDefault() {
    web.run(context -> assertThat(context).doesNotHaveBean(AdminHandler.class));
  }

  @Test
  @DisplayName(
      "is served under its path, answering 401 without a token and the signed-in operator with one")
  @SuppressWarnings("unchecked")
  void mounted() {
    web.withPropertyValues(
            "postoffice.admin.enabled=true",
            "postoffice.admin.operator-tokens.olivia=" + OPERATOR_TOKEN)
        .run(
            context -> {
              ServletRegistrationBean<AdminServlet> registration =
                  context.getBean("postOfficeAdminServlet", ServletRegistrationBean.class);
              assertThat(registration.getUrlMappings())
                  .containsExactlyInAnyOrder("/postoffice", "/postoffice/*");
              AdminServlet servlet = registration.getServlet();

              MockHttpServletResponse anonymous = new MockHttpServletResponse();
              servlet.service(
                  new MockHttpServletRequest("GET", "/postoffice/api/routes"), anonymous);
              assertThat(anonymous.getStatus()).isEqualTo(401);

              MockHttpServletRequest request =
                  new MockHttpServletRequest("GET", "/postoffice/api/me");
              request.addHeader("Authorization", "Bearer " + OPERATOR_TOKEN);
              MockHttpServletResponse ok = new MockHttpServletResponse();
              servlet.service(request, ok);
              assertThat(ok.getStatus()).isEqualTo(200);
              assertThat(ok.getContentAsString(StandardCharsets.UTF_8)).contains("olivia");

              // Under the application's context path, the console's own path is below it.
              MockHttpServletRequest inApp =
                  new MockHttpServletRequest("GET", "/app/postoffice/api/me");
              inApp.setContextPath("/app");
              inApp.addHeader("Authorization", "Bearer " + OPERATOR_TOKEN);
              MockHttpServletResponse underContext = new MockHttpServletResponse();
              servlet.service(inApp, underContext);
              assertThat(underContext.getStatus()).isEqualTo(200);
            });
  }

  @Test
  @DisplayName("refuses to start enabled without tokens or an authenticator")
  void needsCredentials() {
    web.withPropertyValues("postoffice.admin.enabled=true")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("postoffice.admin.operator-tokens"));
  }

  @Test
  @DisplayName("is not mounted outside a servlet web application")
  void notWithoutServlets() {
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                PostOfficeAutoConfiguration.class, PostOfficeAdminAutoConfiguration.class))
        .withPropertyValues("postoffice.auto-startup=false", "postoffice.admin.enabled=true")
        .withBean(Route.class, () -> ShopRoutes.orders(ShopRoutes.QUEUE))
        .run(context -> assertThat(context).doesNotHaveBean(AdminHandler.class));
  }
}
