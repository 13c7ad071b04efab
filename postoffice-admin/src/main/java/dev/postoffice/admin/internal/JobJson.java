package dev.postoffice.admin.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postoffice.spi.ReplayJob;
import java.util.List;

/** Bulk replay jobs as JSON: their filter, who asked, and progress. */
final class JobJson {
  private JobJson() {}

  static ObjectNode job(ReplayJob j) {
    ObjectNode n = Answers.MAPPER.createObjectNode();
    n.put("id", j.id());
    n.put("state", j.state().name());
    n.put("running", j.isRunning());
    n.set("filter", Filters.json(j.filter()));
    n.put("requestedBy", j.requestedBy());
    n.put("reason", j.reason());
    n.put("total", j.total());
    n.put("replayed", j.replayed());
    n.put("skipped", j.skipped());
    long done = j.replayed() + j.skipped();
    n.put("percent", j.total() == 0 ? 100.0 : Math.min(100.0, 100.0 * done / j.total()));
    n.put("detail", j.detail());
    n.put("createdAt", EntryJson.time(j.createdAt()));
    n.put("updatedAt", EntryJson.time(j.updatedAt()));
    return n;
  }

  static ArrayNode jobs(List<ReplayJob> jobs) {
    ArrayNode a = Answers.MAPPER.createArrayNode();
    jobs.forEach(j -> a.add(job(j)));
    return a;
  }
}
