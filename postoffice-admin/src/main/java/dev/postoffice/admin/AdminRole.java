package dev.postoffice.admin;

/**
 * What an authenticated person may do in the console. An operator may do everything a viewer may.
 */
public enum AdminRole {
  /** Reads: routes, entries, payloads (redacted), traces, jobs, health. */
  VIEWER,
  /**
   * Reads, and changes: replay one entry or many, cancel a bulk replay, pause and resume routes.
   */
  OPERATOR;

  /**
   * Tells whether this role may do what another role may.
   *
   * @param needed the role an action needs
   * @return true if this role is that role or above it
   */
  public boolean includes(AdminRole needed) {
    return compareTo(needed) >= 0;
  }
}
