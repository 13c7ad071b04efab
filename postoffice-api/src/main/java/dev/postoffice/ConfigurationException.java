package dev.postoffice;

import java.util.List;

/**
 * Thrown by {@code build()} with every configuration error found, each with its property path, such
 * as {@code route[acme-orders].retry.maxAttempts was '0' but it must be >= 1}.
 */
public class ConfigurationException extends PostOfficeException {
  private static final long serialVersionUID = 1L;

  private final List<String> errors;

  /**
   * Creates the exception.
   *
   * @param errors the problems found, one sentence each
   */
  public ConfigurationException(List<String> errors) {
    super(
        "invalid PostOffice configuration ("
            + errors.size()
            + " error"
            + (errors.size() == 1 ? "" : "s")
            + "):\n  - "
            + String.join("\n  - ", errors));
    this.errors = List.copyOf(errors);
  }

  /**
   * @return every problem found
   */
  public List<String> errors() {
    return errors;
  }
}
