package dev.postoffice.model;

/** Which way a route carries messages. */
public enum Direction {
  /** From a partner to the Core App: intake at layer 1, publish to the core at layer 4. */
  UPSTREAM,
  /** From the Core App to a partner: intake at layer 4, dispatch to the partner at layer 1. */
  DOWNSTREAM
}
