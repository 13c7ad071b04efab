/**
 * The model: entries, their ids, statuses, layers and history. Immutable values, safe to share
 * between threads.
 */
package dev.postoffice.model;
