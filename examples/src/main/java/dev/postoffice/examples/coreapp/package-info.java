/**
 * The Core App's side of the example, as {@code docs/core-app.md} shows it: built from
 * postoffice-coreapp alone (receiver, sender, JDBC receipt log), with nothing of the engine.
 */
package dev.postoffice.examples.coreapp;
