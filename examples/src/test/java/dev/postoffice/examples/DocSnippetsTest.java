package dev.postoffice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps the guides honest: every {@code java} block in them must be preceded by {@code <!--
 * snippet: examples/<path>#<tag> -->} and equal (whitespace-normalized) the region between {@code
 * // tag::<tag>[]} and {@code // end::<tag>[]} of that file, which the build compiles and tests.
 */
@DisplayName("The docs")
class DocSnippetsTest {
  static final List<String> GUIDES =
      List.of(
          "docs/concepts.md",
          "docs/writing-a-translator.md",
          "docs/observability.md",
          "docs/tracing.md",
          "docs/operations.md");

  private static final Pattern MARKER =
      Pattern.compile("<!--\\s*snippet:\\s*(\\S+)#([\\w-]+)\\s*-->");

  /** One fenced java block of a guide and the marker above it (null if none). */
  record Block(String guide, int line, String marker, String code) {
    @Override
    public String toString() {
      return guide + ":" + line + (marker == null ? "" : " (" + marker + ")");
    }
  }

  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null
        && !(Files.isDirectory(dir.resolve("docs"))
            && Files.isDirectory(dir.resolve("examples")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "cannot find the repository root (with docs/ and examples/) above "
              + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static Stream<Block> blocks() {
    List<Block> blocks = new ArrayList<>();
    for (String guide : GUIDES) {
      List<String> lines = read(root().resolve(guide));
      for (int i = 0; i < lines.size(); i++) {
        if (!lines.get(i).strip().equals("```java")) {
          continue;
        }
        String marker = null;
        for (int j = i - 1; j >= 0; j--) {
          if (!lines.get(j).isBlank()) {
            marker = MARKER.matcher(lines.get(j)).find() ? lines.get(j).strip() : null;
            break;
          }
        }
        StringBuilder code = new StringBuilder();
        int end = i + 1;
        while (end < lines.size() && !lines.get(end).strip().equals("```")) {
          code.append(lines.get(end++)).append('\n');
        }
        blocks.add(new Block(guide, i + 1, marker, code.toString()));
        i = end;
      }
    }
    return blocks.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("blocks")
  @DisplayName("quote tested code verbatim in every java block")
  void snippetMatchesItsSource(Block block) {
    assertThat(block.marker())
        .as(
            "%s: a java block needs <!-- snippet: examples/...java#tag --> on the line above it",
            block)
        .isNotNull();
    Matcher m = MARKER.matcher(block.marker());
    assertThat(m.find()).isTrue();
    Path source = root().resolve(m.group(1));
    assertThat(m.group(1)).as("%s: snippets come from examples/", block).startsWith("examples/");
    assertThat(source).as("%s: the snippet's source", block).isRegularFile();

    assertThat(normalize(block.code()))
        .as("%s differs from the tagged region; copy it again from %s", block, m.group(1))
        .isEqualTo(normalize(region(read(source), m.group(2), source)));
  }

  static String region(List<String> lines, String tag, Path source) {
    String start = "// tag::" + tag + "[]";
    String end = "// end::" + tag + "[]";
    StringBuilder text = new StringBuilder();
    boolean inside = false;
    boolean found = false;
    for (String line : lines) {
      String stripped = line.strip();
      if (stripped.equals(start)) {
        inside = true;
        found = true;
      } else if (stripped.equals(end)) {
        inside = false;
      } else if (inside && !stripped.startsWith("// tag::") && !stripped.startsWith("// end::")) {
        text.append(line).append('\n');
      }
    }
    assertThat(found).as("no region tagged '%s' in %s", tag, source).isTrue();
    return text.toString();
  }

  static String normalize(String code) {
    return code.replaceAll("\\s+", " ").strip();
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
