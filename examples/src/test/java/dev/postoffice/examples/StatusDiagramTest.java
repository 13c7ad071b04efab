package dev.postoffice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.model.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The status diagram in docs/concepts.md")
class StatusDiagramTest {
  private static final Pattern EDGE =
      Pattern.compile("^\\s*(\\[\\*]|[A-Z_]+)\\s*-->\\s*(\\[\\*]|[A-Z_]+)\\s*$");

  @Test
  @DisplayName("draws exactly the moves dev.postoffice.model.Status allows")
  void matchesTheEnum() throws IOException {
    List<String> lines = Files.readAllLines(DocSnippetsTest.root().resolve("docs/concepts.md"));
    int start = lines.indexOf("```mermaid");
    assertThat(start).as("a ```mermaid block in docs/concepts.md").isNotNegative();
    Set<String> drawn = new TreeSet<>();
    Set<String> created = new TreeSet<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.strip().equals("```")) {
        break;
      }
      Matcher m = EDGE.matcher(line);
      if (m.matches() && m.group(1).equals("[*]")) {
        created.add(m.group(2));
      } else if (m.matches() && !m.group(2).equals("[*]")) {
        drawn.add(m.group(1) + " --> " + m.group(2));
      }
    }

    Set<String> allowed = new TreeSet<>();
    for (Status from : Status.values()) {
      from.allowedNext().forEach(to -> allowed.add(from.name() + " --> " + to.name()));
    }
    assertThat(drawn).isEqualTo(allowed);
    assertThat(created).containsExactlyInAnyOrder(Status.JUST_IN.name(), Status.DUPLICATE.name());
  }
}
