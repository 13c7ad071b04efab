/** The operator API: traces, lineage, failed entries, replay and counts. */
package dev.postoffice.core.operator;
