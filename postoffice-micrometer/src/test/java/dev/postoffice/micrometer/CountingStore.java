package dev.postoffice.micrometer;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.model.Entry;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.StatusCount;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.testkit.ForwardingStatusStore;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts the reads the gauges make, and can refuse them like a database that went away. */
final class CountingStore extends ForwardingStatusStore {
  final AtomicInteger counts = new AtomicInteger();
  final AtomicInteger queries = new AtomicInteger();
  volatile boolean down;

  CountingStore(StatusStore delegate) {
    super(delegate);
  }

  @Override
  public List<StatusCount> countByStatus() {
    counts.incrementAndGet();
    if (down) {
      throw new StoreUnavailableException("database is down", null);
    }
    return super.countByStatus();
  }

  @Override
  public List<Entry> query(EntryQuery query) {
    queries.incrementAndGet();
    return super.query(query);
  }
}
