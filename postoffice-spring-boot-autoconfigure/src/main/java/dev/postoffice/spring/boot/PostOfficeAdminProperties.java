package dev.postoffice.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The operator console's settings ({@code postoffice.admin.*}), read when {@code postoffice-admin}
 * is on the class path of a servlet web application. The console is off unless {@code
 * postoffice.admin.enabled=true}; it then needs tokens (or an {@code AdminAuthenticator} bean).
 *
 * <pre>
 * postoffice:
 *   admin:
 *     enabled: true
 *     operator-tokens: { olivia: ${OPS_TOKEN} }   # may replay and pause
 *     viewer-tokens: { victor: ${VIEW_TOKEN} }    # may read
 * </pre>
 */
@ConfigurationProperties("postoffice.admin")
public class PostOfficeAdminProperties {
  private boolean enabled;
  private String path = "/postoffice";
  private Map<String, String> operatorTokens = new LinkedHashMap<>();
  private Map<String, String> viewerTokens = new LinkedHashMap<>();

  /** Creates the properties with their defaults; Spring Boot binds them. */
  public PostOfficeAdminProperties() {}

  /**
   * @return whether the console is served; false unless set
   */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * @param enabled whether the console is served
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * @return where the console is mounted, {@code /postoffice} unless set
   */
  public String getPath() {
    return path;
  }

  /**
   * @param path where the console is mounted, like {@code /ops/postoffice} (no trailing slash)
   */
  public void setPath(String path) {
    this.path = path;
  }

  /**
   * @return operators' names and bearer tokens: they may read, replay and pause
   */
  public Map<String, String> getOperatorTokens() {
    return operatorTokens;
  }

  /**
   * @param operatorTokens operators' names and bearer tokens
   */
  public void setOperatorTokens(Map<String, String> operatorTokens) {
    this.operatorTokens = operatorTokens;
  }

  /**
   * @return viewers' names and bearer tokens: they may read
   */
  public Map<String, String> getViewerTokens() {
    return viewerTokens;
  }

  /**
   * @param viewerTokens viewers' names and bearer tokens
   */
  public void setViewerTokens(Map<String, String> viewerTokens) {
    this.viewerTokens = viewerTokens;
  }
}
