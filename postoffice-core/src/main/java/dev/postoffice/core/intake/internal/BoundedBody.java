package dev.postoffice.core.intake.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a body up to a limit and stops there, so an oversized body is never read in full. */
public final class BoundedBody {
  private BoundedBody() {}

  /**
   * Reads the stream to its end or until it passes the limit.
   *
   * @param in the body
   * @param max the largest size accepted
   * @return the bytes, or null if the body is longer than {@code max} (at most {@code max + 1}
   *     bytes read)
   * @throws IOException if reading fails
   */
  public static byte[] read(InputStream in, int max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, 8192) + 1);
    byte[] buffer = new byte[8192];
    long total = 0;
    while (true) {
      int want = (int) Math.min(buffer.length, (long) max + 1 - total);
      int n = in.read(buffer, 0, want);
      if (n < 0) {
        return out.toByteArray();
      }
      total += n;
      if (total > max) {
        return null;
      }
      out.write(buffer, 0, n);
    }
  }
}
