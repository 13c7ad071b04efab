package dev.postoffice.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A node's claim on an entry: nobody else works on it until the lease expires. The entry's attempt
 * number at claim time is the fencing token: a commit carrying an older token changes nothing.
 *
 * @param owner the node id holding the lease
 * @param expiresAt when other nodes may claim the entry again
 */
public record Lease(String owner, Instant expiresAt) {
  /**
   * Checks the arguments.
   *
   * @throws NullPointerException if an argument is null
   */
  public Lease {
    Objects.requireNonNull(owner, "owner cannot be null");
    Objects.requireNonNull(expiresAt, "expiresAt cannot be null");
  }
}
