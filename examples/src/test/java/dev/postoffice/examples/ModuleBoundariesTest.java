package dev.postoffice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The house rule "no module reads another module's internal": every {@code
 * dev.postoffice.X.internal} import must come from the module that owns {@code dev.postoffice.X}.
 * Internal packages carry no compatibility promise, so a store or transport that used core's
 * internals would break on any release.
 */
@DisplayName("Module boundaries")
class ModuleBoundariesTest {
  /** Each module and the root packages whose internals it may use; others may use none. */
  private static final Map<String, List<String>> OWNERS =
      Map.ofEntries(
          Map.entry("postoffice-api", List.of("dev.postoffice")),
          Map.entry(
              "postoffice-coreapp", List.of("dev.postoffice.coreapp", "dev.postoffice.codec")),
          Map.entry("postoffice-core", List.of("dev.postoffice.core")),
          Map.entry("postoffice-testkit", List.of("dev.postoffice.testkit")),
          Map.entry("postoffice-jdbc-store", List.of("dev.postoffice.jdbc")),
          Map.entry("postoffice-rabbit-transport", List.of("dev.postoffice.rabbit")),
          Map.entry("postoffice-sqs-transport", List.of("dev.postoffice.sqs")),
          Map.entry("postoffice-micrometer", List.of("dev.postoffice.micrometer")),
          Map.entry("postoffice-spring-boot-autoconfigure", List.of("dev.postoffice.spring")),
          Map.entry("postoffice-admin", List.of("dev.postoffice.admin")),
          // Microbenchmarks measure engine internals on purpose; the module is not an API and is
          // not deployed.
          Map.entry("postoffice-benchmarks", List.of("dev.postoffice.core")));

  private static final Pattern INTERNAL_IMPORT =
      Pattern.compile(
          "^import (?:static )?(dev\\.postoffice\\.[a-z.]*?)\\.internal\\b", Pattern.MULTILINE);

  @Test
  @DisplayName("no module imports another module's internal packages")
  void noForeignInternals() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<String> violations = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module : modules.filter(p -> Files.isRegularFile(p.resolve("pom.xml"))).toList()) {
        List<String> owned = OWNERS.getOrDefault(module.getFileName().toString(), List.of());
        Path src = module.resolve("src");
        if (!Files.isDirectory(src)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(src)) {
          files
              .filter(f -> f.toString().endsWith(".java"))
              .forEach(
                  f -> {
                    Matcher m = INTERNAL_IMPORT.matcher(read(f));
                    while (m.find()) {
                      String pkg = m.group(1);
                      if (owned.stream()
                          .noneMatch(owner -> pkg.equals(owner) || pkg.startsWith(owner + "."))) {
                        violations.add(root.relativize(f) + " imports " + pkg + ".internal");
                      }
                    }
                  });
        }
      }
    }
    assertThat(violations).as("imports of another module's internals").isEmpty();
  }

  /**
   * What the Core App artifact may import besides the JDK, Jackson, SLF4J and itself: the api,
   * never the engine ({@code dev.postoffice.core} and its packages; {@code coreapp} is a different
   * name).
   */
  private static final Pattern ENGINE_IMPORT =
      Pattern.compile(
          "^import (?:static )?(dev\\.postoffice\\.core(?:\\.[\\w.]+)?);", Pattern.MULTILINE);

  @Test
  @DisplayName("the Core App artifact (postoffice-coreapp) imports nothing of the engine")
  void coreAppWithoutEngine() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    Path coreApp = root.resolve("postoffice-coreapp/src/main/java");
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(coreApp)) {
      files
          .filter(f -> f.toString().endsWith(".java"))
          .forEach(
              f -> {
                Matcher m = ENGINE_IMPORT.matcher(read(f));
                while (m.find()) {
                  violations.add(root.relativize(f) + " imports " + m.group(1));
                }
              });
    }
    assertThat(violations).as("imports of the engine from the Core App artifact").isEmpty();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
