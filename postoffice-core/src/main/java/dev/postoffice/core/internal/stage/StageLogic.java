package dev.postoffice.core.internal.stage;

import dev.postoffice.model.Entry;
import java.util.List;

/** The work of a stage on a batch of claimed entries. */
public interface StageLogic {
  /**
   * Works on a batch. Never throws: a failure of one entry is that entry's outcome.
   *
   * @param batch the entries, each with its payload
   * @return one outcome per entry
   */
  List<Outcome> work(List<Entry> batch);
}
