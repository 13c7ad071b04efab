package dev.postoffice.core.intake.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line (RFC 4180 quoting: fields in double quotes, {@code ""} for a quote inside). A
 * quoted field cannot span lines: the file-drop ingestor reads one record per line.
 */
public final class Csv {
  private Csv() {}

  /**
   * Splits a line into fields.
   *
   * @param line the line, without its line break
   * @return the fields
   * @throws IllegalArgumentException if a quote is not closed or stray text follows a closing quote
   */
  public static List<String> split(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = line.length();
    while (true) {
      if (i < n && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new IllegalArgumentException(
                "quoted field " + (fields.size() + 1) + " is not closed");
          }
          char c = line.charAt(i++);
          if (c == '"') {
            if (i < n && line.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(c);
          }
        }
        if (i < n && line.charAt(i) != ',') {
          throw new IllegalArgumentException(
              "unexpected text after the closing quote of field " + (fields.size() + 1));
        }
      } else {
        while (i < n && line.charAt(i) != ',') {
          char c = line.charAt(i++);
          if (c == '"') {
            throw new IllegalArgumentException(
                "quote inside unquoted field " + (fields.size() + 1));
          }
          field.append(c);
        }
      }
      fields.add(field.toString());
      field.setLength(0);
      if (i >= n) {
        return fields;
      }
      i++; // the comma
    }
  }
}
