/**
 * Internals of the built-in ingestors (signature schemes, bounded reads, CSV and JSON parsing). No
 * compatibility promise: anything here may change in any release.
 */
package dev.postoffice.core.intake.internal;
