package dev.postoffice.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/grafana/postoffice-dashboard.json true to the meters: every metric its PromQL queries
 * (panels and variables) must be in a scrape of a pipeline whose every meter has moved.
 */
@DisplayName("The Grafana dashboard")
class DashboardTest {
  static final Path DASHBOARD = Path.of("docs/grafana/postoffice-dashboard.json");

  /** A metric name right before a label matcher or in label_values(...). */
  private static final Pattern SELECTOR =
      Pattern.compile(
          "([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{|label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

  private static final Pattern POSTOFFICE = Pattern.compile("\\bpostoffice_[a-z0-9_]+");

  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve(DASHBOARD))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("no %s above %s", DASHBOARD, Path.of("").toAbsolutePath()).isNotNull();
    return dir;
  }

  static List<String> queries() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(root().resolve(DASHBOARD).toFile());
    List<String> queries = new ArrayList<>();
    collect(dashboard, queries);
    return queries;
  }

  private static void collect(JsonNode node, List<String> queries) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (Set.of("expr", "query", "definition").contains(field.getKey())
            && field.getValue().isTextual()) {
          queries.add(field.getValue().asText());
        }
        collect(field.getValue(), queries);
      }
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, queries));
    }
  }

  @Test
  @DisplayName("queries only metrics a scrape has")
  void queriesExistingMetrics() throws IOException {
    Set<String> queried = new TreeSet<>();
    for (String query : queries()) {
      Matcher selector = SELECTOR.matcher(query);
      while (selector.find()) {
        queried.add(selector.group(1) != null ? selector.group(1) : selector.group(2));
      }
      Matcher name = POSTOFFICE.matcher(query);
      while (name.find()) {
        queried.add(name.group());
      }
    }

    assertThat(queried)
        .as("the dashboard's alerts-worth metrics")
        .contains("postoffice_oldest_age_seconds", "postoffice_failed", "postoffice_backlog");
    assertThat(Scrape.afterEveryMeterMoved(true).names()).containsAll(queried);
  }
}
