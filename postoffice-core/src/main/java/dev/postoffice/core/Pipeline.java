package dev.postoffice.core;

import dev.postoffice.Intake;
import dev.postoffice.NoSuchRouteException;
import dev.postoffice.core.operator.Operations;
import dev.postoffice.model.RouteId;
import java.time.Duration;
import java.util.List;

/**
 * A built set of routes running on one node. Build it with {@link PostOffice#builder()}, then
 * {@link #start()} it; {@link #close()} stops it gracefully. Thread-safe.
 *
 * <pre>{@code
 * try (Pipeline pipeline = PostOffice.builder().store(store).transport(transport).route(orders).build()) {
 *   pipeline.start();
 *   pipeline.intake("acme-orders").submit(RawMessage.json(body, deliveryId));
 * }
 * }</pre>
 */
public interface Pipeline extends AutoCloseable {
  /**
   * Declares the transport's queues, starts the stages, the Core App acknowledgement listener, the
   * downstream consumers and the ingestors, in that order.
   *
   * <p>If a step fails (a broker that refuses a declaration, an ingestor that cannot bind its
   * port), what had started is stopped again and the failure is rethrown: nothing keeps running
   * under this node's id. A pipeline whose start failed cannot be started again; build a new one.
   *
   * @return this pipeline
   * @throws IllegalStateException if it was started before
   */
  Pipeline start();

  /**
   * Returns the intake of an upstream route, to store partner messages.
   *
   * @param route the route's name
   * @return its intake
   * @throws NoSuchRouteException if the pipeline has no such route
   * @throws IllegalArgumentException if the route is downstream
   */
  Intake intake(String route);

  /**
   * Returns the operator API: traces, lineage, failed entries, replay, counts.
   *
   * @return the operations
   */
  Operations operations();

  /**
   * With manual scheduling (tests), runs every stage of every route once, on the calling thread,
   * and the housekeeping (republishing unacknowledged entries).
   *
   * @return how many entries were worked on; 0 when nothing was due
   * @throws IllegalStateException if the pipeline runs its own threads, or is not started
   */
  int runOnce();

  /**
   * Stops gracefully: ingestors and consumers first, then the stages finish the batch in hand, then
   * the leases this node still holds are released so other nodes can take the entries at once.
   *
   * <p>Returns by the deadline whatever happens: a step stuck in a call (a database that stopped
   * answering, a broker that does not close) is interrupted and abandoned, with a WARN naming the
   * step and those left undone. Nothing is lost by that: entries still leased to this node are
   * claimed again when their leases expire.
   *
   * @param timeout how long to wait for in-flight batches and the rest of the stop
   * @return true if every step finished in time; false if a worker or a step was interrupted or
   *     abandoned
   */
  boolean stop(Duration timeout);

  /** Stops with the pipeline's shutdown timeout. */
  @Override
  void close();

  /**
   * Returns this node's id, the owner of its leases.
   *
   * @return the node id
   */
  String nodeId();

  /**
   * Returns the routes, in the order they were added.
   *
   * @return the route ids
   */
  List<RouteId> routes();
}
