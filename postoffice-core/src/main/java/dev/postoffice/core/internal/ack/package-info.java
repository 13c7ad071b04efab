/**
 * PostOffice's side of the round trip with the Core App: {@code AckListener} reads acknowledgements
 * and marks entries, {@code AckRace} settles an acknowledgement that overtakes its publisher,
 * {@code Republisher} publishes again what was never acknowledged.
 *
 * <p>Internal: no compatibility promise; do not use from other modules.
 */
package dev.postoffice.core.internal.ack;
