package dev.postoffice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Runs every {@code curl} line of {@code docs/operations.md}, in order, against a live console, as
 * a shell would after {@code export POSTOFFICE=... TOKEN=...}: each must succeed, and together they
 * must cover every endpoint.
 */
@DisplayName("docs/operations.md")
class OperationsDocTest {
  static final Path DOC = Path.of("..", "docs", "operations.md");
  static final Pattern VARIABLE = Pattern.compile("\\$([A-Z_]+)");

  Shop shop;
  Console console;
  final Map<String, String> env = new LinkedHashMap<>();

  @BeforeEach
  void start() {
    shop = Shop.manual();
    shop.good("1001");
    for (int i = 1; i <= 5; i++) {
      shop.renamed(String.valueOf(2000 + i));
    }
    shop.drain();
    console = Console.of(shop);
    env.put("POSTOFFICE", console.base().substring(0, console.base().length() - 1));
    env.put("TOKEN", Shop.OPERATOR_TOKEN);
    JsonNode rejected =
        console.get("entries?status=REJECTED", Shop.VIEWER_TOKEN).json().path("entries").get(0);
    env.put("ENTRY_ID", rejected.path("id").asText());
    env.put("TRACE_ID", rejected.path("traceId").asText());
    env.put(
        "CURSOR",
        console
            .get("entries?route=acme-orders&limit=2", Shop.VIEWER_TOKEN)
            .json()
            .path("next")
            .asText());
  }

  @AfterEach
  void stop() {
    console.close();
    shop.close();
  }

  @Test
  @DisplayName("every curl line succeeds against a live console, and every endpoint has one")
  void curlLines() throws IOException {
    List<String> lines = curlLines(Files.readString(DOC));
    assertThat(lines).hasSizeGreaterThan(15);
    Set<String> covered = new TreeSet<>();
    for (String line : lines) {
      Curl curl = Curl.parse(line, env);
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(curl.url()))
              .method(
                  curl.method(),
                  curl.body() == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(curl.body()));
      curl.headers().forEach(request::header);
      Console.Reply reply = console.send(request.build());
      assertThat(reply.status()).as(line + "\n" + reply.raw().body()).isBetween(200, 299);
      if (curl.method().equals("POST") && curl.url().endsWith("/api/replays")) {
        env.put("JOB_ID", reply.text("id"));
      }
      covered.add(curl.method() + " " + endpoint(curl.url()));
    }
    assertThat(covered)
        .containsExactlyInAnyOrder(
            "GET me",
            "GET routes",
            "GET entries",
            "GET entries/count",
            "GET lookup",
            "GET entries/{id}",
            "GET entries/{id}/payload",
            "GET traces/{id}",
            "POST entries/{id}/replay",
            "POST replays",
            "GET replays",
            "GET replays/{id}",
            "POST replays/{id}/cancel",
            "POST routes/{id}/pause",
            "POST routes/{id}/resume",
            "GET health");
  }

  static List<String> curlLines(String markdown) {
    List<String> lines = new ArrayList<>();
    boolean inShell = false;
    for (String line : markdown.split("\n")) {
      if (line.startsWith("```")) {
        inShell = !inShell && line.trim().equals("```sh");
      } else if (inShell && line.startsWith("curl ")) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** The endpoint a URL calls, ids replaced by {@code {id}}. */
  private String endpoint(String url) {
    String path = url.substring(url.indexOf("/api/") + 5);
    int q = path.indexOf('?');
    String[] parts = (q < 0 ? path : path.substring(0, q)).split("/");
    for (int i = 1; i < parts.length; i++) {
      if (!Set.of("count", "payload", "replay", "cancel", "pause", "resume").contains(parts[i])) {
        parts[i] = "{id}";
      }
    }
    return String.join("/", parts);
  }

  /** A curl command line: method, headers, body, URL, with the shell's variables expanded. */
  record Curl(String method, Map<String, String> headers, String body, String url) {
    static Curl parse(String line, Map<String, String> env) {
      List<String> words = words(line, env);
      String method = "GET";
      Map<String, String> headers = new LinkedHashMap<>();
      String body = null;
      String url = null;
      for (int i = 1; i < words.size(); i++) {
        String w = words.get(i);
        switch (w) {
          case "-s" -> {}
          case "-X" -> method = words.get(++i);
          case "-H" -> {
            String h = words.get(++i);
            headers.put(
                h.substring(0, h.indexOf(':')).trim(), h.substring(h.indexOf(':') + 1).trim());
          }
          case "-d" -> body = words.get(++i);
          default -> {
            assertThat(w).as("unknown curl option in: " + line).doesNotStartWith("-");
            url = w;
          }
        }
      }
      assertThat(url).as("no URL in: " + line).isNotNull();
      return new Curl(method, headers, body, url);
    }

    /**
     * Splits as a POSIX shell would: single quotes literal, double quotes and bare words expanded.
     */
    static List<String> words(String line, Map<String, String> env) {
      List<String> words = new ArrayList<>();
      StringBuilder word = new StringBuilder();
      boolean inWord = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c == '\'') {
          int end = line.indexOf('\'', i + 1);
          word.append(line, i + 1, end);
          i = end;
          inWord = true;
        } else if (c == '"') {
          int end = line.indexOf('"', i + 1);
          word.append(expand(line.substring(i + 1, end), env));
          i = end;
          inWord = true;
        } else if (c == ' ') {
          if (inWord) {
            words.add(word.toString());
            word.setLength(0);
            inWord = false;
          }
        } else {
          int end = line.indexOf(' ', i);
          end = end < 0 ? line.length() : end;
          word.append(expand(line.substring(i, end), env));
          i = end - 1;
          inWord = true;
        }
      }
      if (inWord) {
        words.add(word.toString());
      }
      return words;
    }

    static String expand(String text, Map<String, String> env) {
      Matcher m = VARIABLE.matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String value = env.get(m.group(1));
        assertThat(value)
            .as("the doc uses $" + m.group(1) + ", which the test does not set")
            .isNotNull();
        m.appendReplacement(out, Matcher.quoteReplacement(value));
      }
      m.appendTail(out);
      return out.toString();
    }
  }
}
