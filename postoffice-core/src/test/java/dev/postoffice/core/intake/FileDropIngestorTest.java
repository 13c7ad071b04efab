package dev.postoffice.core.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.support.Harness;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.EntryQuery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("FileDropIngestor")
class FileDropIngestorTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final Harness h = new Harness();
  private Pipeline pipeline;

  @AfterEach
  void tearDown() {
    if (pipeline != null) {
      pipeline.close();
    }
    h.close();
  }

  private FileDropIngestor start(FileDropIngestor.Builder builder, RouteSettings settings) {
    FileDropIngestor ingestor = builder.build();
    pipeline =
        h.pipeline("node-a")
            .route(h.ordersRoute(Harness::perLine, settings))
            .ingestor(Harness.ORDERS, ingestor)
            .build()
            .start();
    return ingestor;
  }

  private FileDropIngestor start() {
    return start(FileDropIngestor.builder(dir).clock(h.clock).manualScanning(), h.settings());
  }

  private void write(String name, String text) throws Exception {
    Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private List<Entry> entries() {
    return h.store.query(new EntryQuery(null, Layer.L1, null, null, 10_000, true)).stream()
        .sorted(Comparator.comparing(e -> e.headers().getOrDefault("postoffice-file-line", "0")))
        .toList();
  }

  private String reason(String name) throws Exception {
    return Files.readString(dir.resolve("failed").resolve(name + ".reason.txt"));
  }

  @Nested
  @DisplayName("complete files")
  class Complete {
    @Test
    @DisplayName(
        "takes a file once it is unchanged for the settle time, as one entry, and moves it to done/")
    void single() throws Exception {
      FileDropIngestor files = start();
      write("order-1.json", "{\"orderId\":\"o-1\",\"customer\":\"c\",\"lines\":[]}");
      assertThat(files.scanOnce()).isZero();
      h.clock.advance(FileDropIngestor.DEFAULT_SETTLE_TIME);
      assertThat(files.scanOnce()).isEqualTo(1);

      Entry entry = entries().get(0);
      assertThat(entry.status()).isEqualTo(Status.JUST_IN);
      assertThat(entry.payload().contentType()).isEqualTo("application/json");
      assertThat(entry.dedupKey()).startsWith("file:");
      assertThat(entry.headers()).containsEntry("postoffice-file", "order-1.json");
      assertThat(dir.resolve("order-1.json")).doesNotExist();
      assertThat(dir.resolve("done/order-1.json")).exists();
    }

    @Test
    @DisplayName("does not take a file still being written until it settles, then takes all of it")
    void halfWritten() throws Exception {
      FileDropIngestor files = start();
      write("big.json", "{\"orderId\":\"o-1\",");
      assertThat(files.scanOnce()).isZero();
      h.clock.advance(Duration.ofSeconds(1));
      Files.writeString(
          dir.resolve("big.json"), "\"customer\":\"c\",\"lines\":[]}", StandardOpenOption.APPEND);
      h.clock.advance(Duration.ofSeconds(1));
      assertThat(files.scanOnce())
          .isZero(); // changed since it was first seen: the settle time starts again
      assertThat(entries()).isEmpty();
      h.clock.advance(Duration.ofSeconds(2));
      assertThat(files.scanOnce()).isEqualTo(1);
      assertThat(entries().get(0).payload().asUtf8())
          .isEqualTo("{\"orderId\":\"o-1\",\"customer\":\"c\",\"lines\":[]}");
    }

    @Test
    @DisplayName(
        "ignores temporary names; a file renamed into place is taken at once with settle time zero")
    void renamedIntoPlace() throws Exception {
      FileDropIngestor files =
          start(
              FileDropIngestor.builder(dir)
                  .clock(h.clock)
                  .settleTime(Duration.ZERO)
                  .manualScanning(),
              h.settings());
      write("order.json.tmp", "{\"orderId\":");
      write(".order.json", "{\"orderId\":");
      assertThat(files.scanOnce()).isZero();
      Files.writeString(dir.resolve("order.json.tmp"), "{\"orderId\":\"o-1\"}");
      Files.move(dir.resolve("order.json.tmp"), dir.resolve("order.json"));
      assertThat(files.scanOnce()).isEqualTo(1);
      assertThat(entries()).hasSize(1);
    }

    @Test
    @DisplayName(
        "records a file taken again after a crash (before its move) as a duplicate, not a second entry")
    void takenTwice() throws Exception {
      FileDropIngestor files =
          start(
              FileDropIngestor.builder(dir)
                  .clock(h.clock)
                  .settleTime(Duration.ZERO)
                  .manualScanning(),
              h.settings());
      write("order.json", "{\"orderId\":\"o-1\"}");
      files.scanOnce();
      Files.copy(dir.resolve("done/order.json"), dir.resolve("order.json"));
      files.scanOnce();
      assertThat(entries())
          .extracting(Entry::status)
          .containsExactlyInAnyOrder(Status.JUST_IN, Status.DUPLICATE);
      assertThat(dir.resolve("done/order.json.1")).exists();
    }

    @Test
    @DisplayName("leaves a file in place while the backlog is full")
    void backlogFull() throws Exception {
      FileDropIngestor files =
          start(
              FileDropIngestor.builder(dir)
                  .clock(h.clock)
                  .settleTime(Duration.ZERO)
                  .manualScanning(),
              h.settings().toBuilder().highWaterMark(1).build());
      write("a.json", "{\"orderId\":\"o-1\"}");
      write("b.json", "{\"orderId\":\"o-2\"}");
      assertThat(files.scanOnce()).isEqualTo(1);
      assertThat(dir.resolve("b.json")).exists();
      assertThat(entries()).hasSize(1);
    }
  }

  @Nested
  @DisplayName("line files")
  class Lines {
    @Test
    @DisplayName(
        "stores one entry per JSON line; a malformed line is rejected with its number, the rest go through")
    void jsonLines() throws Exception {
      FileDropIngestor files =
          start(
              FileDropIngestor.builder(dir)
                  .clock(h.clock)
                  .settleTime(Duration.ZERO)
                  .manualScanning(),
              h.settings());
      write(
          "orders.jsonl", "{\"orderId\":\"o-1\"}\n{\"orderId\": oops}\n\n{\"orderId\":\"o-3\"}\n");
      assertThat(files.scanOnce()).isEqualTo(1);

      assertThat(entries())
          .extracting(e -> e.payload().asUtf8())
          .containsExactly("{\"orderId\":\"o-1\"}", "{\"orderId\":\"o-3\"}");
      assertThat(entries())
          .extracting(e -> e.headers().get("postoffice-file-line"))
          .containsExactly("1", "4");
      assertThat(dir.resolve("done/orders.jsonl")).exists();
      assertThat(reason("orders.jsonl"))
          .contains("1 record(s) rejected")
          .contains("line 2: not valid JSON");
    }

    @Test
    @DisplayName(
        "turns each CSV row into a JSON object named by the header; a malformed row is rejected by line")
    void csv() throws Exception {
      FileDropIngestor files =
          start(
              FileDropIngestor.builder(dir)
                  .clock(h.clock)
                  .settleTime(Duration.ZERO)
                  .manualScanning(),
              h.settings());
      write(
          "orders.csv",
          "orderId,customer,note\r\no-1,c-1,\"said \"\"hi\"\", then left\"\r\no-2,c-2\r\no-3,c-3,\r\n");
      assertThat(files.scanOnce()).isEqualTo(1);

      List<Entry> stored = entries();
      assertThat(stored).hasSize(2);
      assertThat(JSON.readValue(stored.get(0).payload().asUtf8(), Map.class))
          .isEqualTo(Map.of("orderId", "o-1", "customer", "c-1", "note", "said \"hi\", then left"));
      assertThat(JSON.readValue(stored.get(1).payload().asUtf8(), Map.class))
          .isEqualTo(Map.of("orderId", "o-3", "customer", "c-3", "note", ""));
      assertThat(reason("orders.csv")).contains("line 3: expected 3 fields, but was 2");
    }
  }

  @Nested
  @DisplayName("bad files")
  class Bad {
    @Test
    @DisplayName("moves an unusable file to failed/ with its reason beside it, storing nothing")
    void failed() throws Exception {
      FileDropIngestor files =
          start(
              FileDropIngestor.builder(dir)
                  .clock(h.clock)
                  .settleTime(Duration.ZERO)
                  .maxFileBytes(100)
                  .manualScanning(),
              h.settings());
      write("broken.json", "{\"orderId\": ");
      write("empty.csv", "");
      write("huge.json", "{\"x\":\"" + "y".repeat(200) + "\"}");
      write("all-bad.jsonl", "nope\nnada\n");
      assertThat(files.scanOnce()).isEqualTo(4);

      assertThat(entries()).isEmpty();
      assertThat(dir.resolve("failed/broken.json")).exists();
      assertThat(reason("broken.json")).startsWith("file is not valid JSON");
      assertThat(reason("empty.csv")).startsWith("file is empty");
      assertThat(reason("huge.json")).contains("over the limit of 100 bytes");
      assertThat(reason("all-bad.jsonl")).contains("line 1:").contains("line 2:");
      assertThat(dir.resolve("failed/all-bad.jsonl")).exists();
    }
  }

  @Nested
  @DisplayName("watching")
  class Watching {
    @Test
    @DisplayName("picks up a dropped file on its own once started")
    void watches() throws Exception {
      start(
          FileDropIngestor.builder(dir)
              .settleTime(Duration.ZERO)
              .scanInterval(Duration.ofMillis(50)),
          h.settings());
      // Settle time zero: the writer must rename into place (a file seen half-written would be
      // taken).
      write("order.json.tmp", "{\"orderId\":\"o-1\"}");
      Files.move(
          dir.resolve("order.json.tmp"), dir.resolve("order.json"), StandardCopyOption.ATOMIC_MOVE);
      Path done = dir.resolve("done/order.json");
      // Waiting on the file system: there is no latch to wait on, so poll for the outcome.
      Awaitility.await("the file is moved to done/")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> Files.exists(done));
      assertThat(entries()).hasSize(1);
    }
  }
}
