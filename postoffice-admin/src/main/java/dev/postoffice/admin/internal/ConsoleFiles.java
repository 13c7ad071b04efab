package dev.postoffice.admin.internal;

import dev.postoffice.admin.AdminResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console's files, served from the jar: {@code index.html} and the CSS and JavaScript
 * modules under {@code console/}. Only plain names of the known kinds are served, so no path can
 * reach another resource of the class path.
 */
public final class ConsoleFiles {
  private static final String ROOT = "/dev/postoffice/admin/console/";
  private static final Pattern NAME =
      Pattern.compile("[a-z0-9-]+(/[a-z0-9-]+)*\\.(html|css|js|svg)");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "svg", "image/svg+xml");

  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  /**
   * Returns a file of the console.
   *
   * @param name its name under the console's root, such as {@code index.html} or {@code app.js}
   * @return the answer, or empty if there is no such file
   */
  public Optional<AdminResponse> file(String name) {
    if (!NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    // Only files that exist are cached: the names come from unauthenticated requests, and caching
    // misses would let anyone grow the map without bound.
    byte[] bytes = cache.get(name);
    if (bytes == null) {
      bytes = load(name);
      if (bytes.length == 0) {
        return Optional.empty();
      }
      cache.putIfAbsent(name, bytes);
    }
    String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
    return Optional.of(new AdminResponse(200, Answers.headers(type), bytes));
  }

  private static byte[] load(String name) {
    try (InputStream in = ConsoleFiles.class.getResourceAsStream(ROOT + name)) {
      return in == null ? new byte[0] : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the console's " + name, e);
    }
  }
}
