package dev.postoffice.event;

import dev.postoffice.model.EntryId;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;

/**
 * A stage failed on one entry.
 *
 * @param route the route
 * @param entryId the entry
 * @param stage the stage's name
 * @param outcome what became of the entry: RETRYING, FAILED or REJECTED
 * @param error the failure, for people
 */
public record EntryFailed(
    RouteId route, EntryId entryId, String stage, Status outcome, String error) {}
