package dev.postoffice.admin.internal;

/**
 * A request the API refuses, with the HTTP status and a message for the person who sent it; for a
 * bad parameter, its name.
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String parameter;

  /**
   * Creates a refusal.
   *
   * @param status the HTTP status
   * @param message what was wrong, for people
   * @param parameter the bad parameter's name, or null
   */
  public ApiError(int status, String message, String parameter) {
    super(message, null, false, false);
    this.status = status;
    this.parameter = parameter;
  }

  /**
   * Returns a 400 naming a parameter.
   *
   * @param parameter the parameter's name
   * @param rule what it must be
   * @param value what it was, or null if missing
   * @return the refusal
   */
  public static ApiError badParameter(String parameter, String rule, String value) {
    return new ApiError(
        400,
        "parameter '"
            + parameter
            + "' "
            + rule
            + (value == null ? ", but is missing" : ", but was '" + shorten(value) + "'"),
        parameter);
  }

  /**
   * Returns a 404.
   *
   * @param what what was not found
   * @return the refusal
   */
  public static ApiError notFound(String what) {
    return new ApiError(404, what + " not found", null);
  }

  private static String shorten(String value) {
    return value.length() > 80 ? value.substring(0, 80) + "..." : value;
  }

  /**
   * Returns the HTTP status.
   *
   * @return the status
   */
  public int status() {
    return status;
  }

  /**
   * Returns the bad parameter's name.
   *
   * @return the name, or null if the refusal is not about one parameter
   */
  public String parameter() {
    return parameter;
  }
}
