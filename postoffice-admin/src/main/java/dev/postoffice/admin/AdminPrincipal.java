package dev.postoffice.admin;

import java.util.Objects;

/**
 * Who made a request, as the authenticator established it. The name is what the console shows and
 * what a replay's history records ("replayed by alice"), so it must not be a secret.
 *
 * @param name the person's or system's name, such as {@code alice}; never a token
 * @param role what they may do
 */
public record AdminPrincipal(String name, AdminRole role) {
  /**
   * Checks the arguments.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the name is blank
   */
  public AdminPrincipal {
    Objects.requireNonNull(name, "name cannot be null");
    Objects.requireNonNull(role, "role cannot be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name cannot be blank");
    }
  }
}
