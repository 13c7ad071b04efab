package dev.postoffice.spring.boot.internal;

import dev.postoffice.admin.AdminHandler;
import dev.postoffice.admin.AdminRequest;
import dev.postoffice.admin.AdminResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves the operator console's {@link AdminHandler} in the application's servlet container: the
 * request as the handler's framework-neutral {@link AdminRequest}, its answer written back as is
 * (the handler does authentication, roles, the Origin check and every header itself).
 */
public final class AdminServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient AdminHandler handler;

  /**
   * @param handler the console
   */
  public AdminServlet(AdminHandler handler) {
    this.handler = handler;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      // One byte over the limit, so the handler sees that the body is too large.
      body = in.readNBytes(AdminHandler.MAX_BODY_BYTES + 1);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.put(name, new ArrayList<>(Collections.list(request.getHeaders(name))));
    }
    // The path below the application's context path (server.servlet.context-path), still encoded:
    // the handler decodes it and knows only its own prefix.
    String path = request.getRequestURI().substring(request.getContextPath().length());
    AdminResponse answer =
        handler.handle(
            new AdminRequest(request.getMethod(), path, request.getQueryString(), headers, body));
    response.setStatus(answer.status());
    answer.headers().forEach(response::setHeader);
    if (!request.getMethod().equals("HEAD") && answer.body().length > 0) {
      response.setContentLength(answer.body().length);
      response.getOutputStream().write(answer.body());
    }
  }
}
