package dev.postoffice.testkit.junit;

import dev.postoffice.IntakeReceipt;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.testkit.EntryAssert;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on what a {@link TestPostOffice} stored: a route's entries in a layer, one entry, or
 * the descendants of one. Start them with {@link PostOfficeAssertions#assertThat}.
 */
public final class PostOfficeAssert extends AbstractAssert<PostOfficeAssert, TestPostOffice> {
  PostOfficeAssert(TestPostOffice actual) {
    super(actual, PostOfficeAssert.class);
  }

  /**
   * Selects a route's entries.
   *
   * @param route the route's name
   * @return a step that picks the layer
   */
  public RouteStep route(String route) {
    isNotNull();
    return new RouteStep(actual, Objects.requireNonNull(route, "route cannot be null"));
  }

  /**
   * Starts assertions on one entry.
   *
   * @param id the entry
   * @return the entry's assertions
   * @throws AssertionError if the store has no such entry
   */
  public EntryAssert entry(EntryId id) {
    isNotNull();
    return EntryAssert.assertThatEntry(actual.store(), id);
  }

  /**
   * Starts assertions on the entry an intake stored.
   *
   * @param receipt the intake's receipt
   * @return the entry's assertions
   */
  public EntryAssert entry(IntakeReceipt receipt) {
    return entry(receipt.entryId());
  }

  /**
   * Selects the descendants of the entry an intake stored (its outputs, their outputs, ...).
   *
   * @param receipt the intake's receipt
   * @return a step that picks the layer
   */
  public DescendantsStep descendantsOf(IntakeReceipt receipt) {
    return descendantsOf(receipt.entryId());
  }

  /**
   * Selects the descendants of an entry (its outputs, their outputs, ...).
   *
   * @param id the entry
   * @return a step that picks the layer
   */
  public DescendantsStep descendantsOf(EntryId id) {
    isNotNull();
    return new DescendantsStep(actual, Objects.requireNonNull(id, "id cannot be null"));
  }

  /** A route chosen, its layer next. */
  public static final class RouteStep {
    private final TestPostOffice po;
    private final String route;

    RouteStep(TestPostOffice po, String route) {
      this.po = po;
      this.route = route;
    }

    /**
     * Selects the route's entries in a layer, as the store holds them now.
     *
     * @param layer the layer
     * @return assertions on those entries
     */
    public EntriesAssert layer(Layer layer) {
      return new EntriesAssert(
          po.entries(route, layer), po.store(), "entries of route " + route + " in " + layer);
    }
  }

  /** An entry chosen, the layer of its descendants next. */
  public static final class DescendantsStep {
    private final TestPostOffice po;
    private final EntryId id;

    DescendantsStep(TestPostOffice po, EntryId id) {
      this.po = po;
      this.id = id;
    }

    /**
     * Selects the descendants in a layer, breadth first.
     *
     * @param layer the layer
     * @return assertions on those entries
     */
    public EntriesAssert layer(Layer layer) {
      return new EntriesAssert(
          po.descendants(id, layer), po.store(), "descendants of entry " + id + " in " + layer);
    }
  }
}
