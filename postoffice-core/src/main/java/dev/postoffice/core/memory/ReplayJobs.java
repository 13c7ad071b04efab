package dev.postoffice.core.memory;

import dev.postoffice.spi.EntrySearch;
import dev.postoffice.spi.ReplayJob;
import dev.postoffice.spi.ReplayJob.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The in-memory store's replay jobs, kept by the rules of the {@code StatusStore} replay-job
 * methods. Not thread-safe: the store calls it under its lock. Leases are judged on the {@code now}
 * the callers pass (one process, one clock).
 */
final class ReplayJobs {
  private static final Comparator<ReplayJob> NEWEST_FIRST =
      Comparator.comparing(ReplayJob::createdAt).thenComparing(ReplayJob::id).reversed();

  private final Map<String, ReplayJob> jobs = new LinkedHashMap<>();

  /** Starts a job, or returns the running one with an equal filter. */
  ReplayJob start(EntrySearch filter, long total, String requestedBy, String reason, Instant now) {
    EntrySearch key = filter.filter();
    for (ReplayJob job : jobs.values()) {
      if (job.isRunning() && job.filter().equals(key)) {
        return job;
      }
    }
    ReplayJob job =
        new ReplayJob(
            UUID.randomUUID().toString(),
            key,
            requestedBy,
            reason,
            State.RUNNING,
            total,
            0,
            0,
            null,
            null,
            null,
            null,
            now,
            now);
    jobs.put(job.id(), job);
    return job;
  }

  Optional<ReplayJob> get(String id) {
    return Optional.ofNullable(jobs.get(id));
  }

  List<ReplayJob> recent(int limit) {
    List<ReplayJob> all = new ArrayList<>(jobs.values());
    all.sort(NEWEST_FIRST);
    return List.copyOf(all.subList(0, Math.min(limit, all.size())));
  }

  Optional<ReplayJob> claim(String owner, Duration lease, Instant now) {
    ReplayJob free =
        jobs.values().stream()
            .filter(
                j ->
                    j.isRunning()
                        && (j.owner() == null
                            || j.leaseExpiresAt() == null
                            || !j.leaseExpiresAt().isAfter(now)))
            .min(Comparator.comparing(ReplayJob::createdAt).thenComparing(ReplayJob::id))
            .orElse(null);
    if (free == null) {
      return Optional.empty();
    }
    return Optional.of(
        put(
            free,
            free.state(),
            free.replayed(),
            free.skipped(),
            free.cursor(),
            owner,
            now.plus(lease),
            null,
            now));
  }

  Optional<ReplayJob> progress(
      String id,
      String owner,
      String cursor,
      long replayed,
      long skipped,
      Duration lease,
      Instant now) {
    return held(id, owner)
        .map(
            j ->
                put(
                    j,
                    State.RUNNING,
                    replayed,
                    skipped,
                    cursor,
                    owner,
                    now.plus(lease),
                    null,
                    now));
  }

  Optional<ReplayJob> cancel(String id, String by, Instant now) {
    ReplayJob job = jobs.get(id);
    if (job == null || !job.isRunning()) {
      return Optional.ofNullable(job);
    }
    return Optional.of(
        put(
            job,
            State.CANCELLED,
            job.replayed(),
            job.skipped(),
            job.cursor(),
            null,
            null,
            "cancelled by " + by,
            now));
  }

  Optional<ReplayJob> finish(String id, String owner, State state, String detail, Instant now) {
    return held(id, owner)
        .map(j -> put(j, state, j.replayed(), j.skipped(), j.cursor(), null, null, detail, now));
  }

  private Optional<ReplayJob> held(String id, String owner) {
    ReplayJob job = jobs.get(id);
    return job != null && job.isRunning() && owner.equals(job.owner())
        ? Optional.of(job)
        : Optional.empty();
  }

  private ReplayJob put(
      ReplayJob j,
      State state,
      long replayed,
      long skipped,
      String cursor,
      String owner,
      Instant leaseExpiresAt,
      String detail,
      Instant now) {
    ReplayJob changed =
        new ReplayJob(
            j.id(),
            j.filter(),
            j.requestedBy(),
            j.reason(),
            state,
            j.total(),
            replayed,
            skipped,
            cursor,
            owner,
            leaseExpiresAt,
            detail,
            j.createdAt(),
            now);
    jobs.put(j.id(), changed);
    return changed;
  }
}
