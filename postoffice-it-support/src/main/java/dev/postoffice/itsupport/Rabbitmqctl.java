package dev.postoffice.itsupport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Faults provoked inside the local RabbitMQ through {@code rabbitmqctl}, which must reach it. */
public final class Rabbitmqctl {
  private Rabbitmqctl() {}

  /** Skips the test, saying why, when {@code rabbitmqctl} cannot reach the local broker. */
  public static void assumeAvailable() {
    String answer;
    try {
      answer = run("eval", "ok.");
    } catch (Exception e) {
      answer = e.toString();
    }
    Assumptions.assumeTrue(
        answer.trim().endsWith("ok"),
        "rabbitmqctl cannot reach the local RabbitMQ (it answered: " + answer.trim() + ")");
  }

  /**
   * Makes the broker close, with a channel-level error (PRECONDITION_FAILED, unknown delivery tag),
   * every channel that consumes a queue, as RabbitMQ's {@code consumer_timeout} does.
   *
   * @param queue the queue's full name
   * @return how many channels were made to fail
   * @throws Exception if {@code rabbitmqctl} fails or does not answer
   */
  public static int closeConsumerChannels(String queue) throws Exception {
    String erlang =
        "Q = <<\""
            + queue
            + "\">>, "
            + "Chs = lists:usort([proplists:get_value(channel_pid, C) || C <- rabbit_amqqueue:consumers_all(<<\"/\">>),"
            + " element(4, proplists:get_value(queue_name, C)) =:= Q]), "
            + "[rabbit_channel:do(Ch, {'basic.ack', 987654321, false}) || Ch <- Chs], length(Chs).";
    String out = run("eval", erlang).trim();
    return Integer.parseInt(out.substring(out.lastIndexOf('\n') + 1).trim());
  }

  private static String run(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("rabbitmqctl");
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("rabbitmqctl did not answer within 60 s");
    }
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
