package dev.postoffice.core.intake.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.postoffice.RawMessage;
import dev.postoffice.model.Payload;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the bytes of a dropped file into raw messages: one for the whole file, or one per line of
 * {@code .jsonl} / {@code .ndjson} and per row of {@code .csv} (the header row naming the JSON
 * fields). Every message's dedup key derives from the file name and content, so a file taken again
 * after a crash yields duplicates, not second entries.
 */
public final class DroppedFile {
  /** Header naming the file a message came from. */
  public static final String FILE_HEADER = "postoffice-file";

  /** Header giving the line a message came from (line files). */
  public static final String LINE_HEADER = "postoffice-file-line";

  /** The messages of a file and the lines that could not be read, by line number. */
  public record Parsed(List<RawMessage> messages, Map<Integer, String> badLines) {}

  private DroppedFile() {}

  /**
   * Parses a file.
   *
   * @param name the file's name
   * @param bytes its content
   * @return the messages and the bad lines
   * @throws IllegalArgumentException if the file as a whole is unusable (empty, malformed JSON, no
   *     CSV header)
   */
  public static Parsed parse(String name, byte[] bytes) {
    if (bytes.length == 0) {
      throw new IllegalArgumentException("file is empty");
    }
    String hash = DedupKeys.sha256Hex(name.getBytes(StandardCharsets.UTF_8), new byte[] {0}, bytes);
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) {
      return jsonLines(name, hash, lines(bytes));
    }
    if (lower.endsWith(".csv")) {
      return csv(name, hash, lines(bytes));
    }
    String type =
        lower.endsWith(".json")
            ? Payload.JSON
            : lower.endsWith(".xml")
                ? "application/xml"
                : lower.endsWith(".txt") ? "text/plain" : Payload.OCTET_STREAM;
    if (type.equals(Payload.JSON)) {
      String problem = jsonProblem(new String(bytes, StandardCharsets.UTF_8));
      if (problem != null) {
        throw new IllegalArgumentException("file is not valid JSON: " + problem);
      }
    }
    RawMessage message =
        new RawMessage(Payload.of(bytes, type), Map.of(FILE_HEADER, name), "file:" + hash);
    return new Parsed(List.of(message), Map.of());
  }

  private static List<String> lines(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    return List.of(text.split("\r?\n", -1));
  }

  private static Parsed jsonLines(String name, String hash, List<String> lines) {
    List<RawMessage> messages = new ArrayList<>();
    Map<Integer, String> bad = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String problem = jsonProblem(line);
      if (problem != null) {
        bad.put(i + 1, "not valid JSON: " + problem);
      } else {
        messages.add(lineMessage(name, hash, i + 1, line));
      }
    }
    return new Parsed(messages, bad);
  }

  private static Parsed csv(String name, String hash, List<String> lines) {
    int headerAt = 0;
    while (headerAt < lines.size() && lines.get(headerAt).isBlank()) {
      headerAt++;
    }
    if (headerAt == lines.size()) {
      throw new IllegalArgumentException("CSV file has no header row");
    }
    List<String> header;
    try {
      header = Csv.split(lines.get(headerAt));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "CSV header row (line " + (headerAt + 1) + ") is malformed: " + e.getMessage(), e);
    }
    List<RawMessage> messages = new ArrayList<>();
    Map<Integer, String> bad = new LinkedHashMap<>();
    for (int i = headerAt + 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        List<String> fields = Csv.split(line);
        if (fields.size() != header.size()) {
          throw new IllegalArgumentException(
              "expected " + header.size() + " fields, but was " + fields.size());
        }
        Map<String, String> row = new LinkedHashMap<>();
        for (int f = 0; f < fields.size(); f++) {
          row.put(header.get(f), fields.get(f));
        }
        messages.add(lineMessage(name, hash, i + 1, DedupKeys.JSON.writeValueAsString(row)));
      } catch (IllegalArgumentException | JsonProcessingException e) {
        bad.put(i + 1, e.getMessage());
      }
    }
    return new Parsed(messages, bad);
  }

  private static RawMessage lineMessage(String name, String hash, int line, String json) {
    return new RawMessage(
        Payload.json(json),
        Map.of(FILE_HEADER, name, LINE_HEADER, Integer.toString(line)),
        "file:" + hash + ":" + line);
  }

  private static String jsonProblem(String text) {
    try {
      if (DedupKeys.JSON.readTree(text) == null) {
        return "no JSON value";
      }
      return null;
    } catch (JsonProcessingException e) {
      return e.getOriginalMessage();
    }
  }
}
