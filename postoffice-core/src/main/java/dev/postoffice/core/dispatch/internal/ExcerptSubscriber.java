package dev.postoffice.core.dispatch.internal;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads the first bytes of a partner's answer for its excerpt, then stops reading. The body
 * completes with the exchange, so a deadline on the response future covers the body too, not only
 * the headers (which is all that {@code HttpRequest.timeout} covers). Stopping early cancels the
 * subscription, which closes the connection rather than reading the rest of a long answer nobody
 * keeps.
 */
public final class ExcerptSubscriber implements HttpResponse.BodySubscriber<String> {
  private final int maxBytes;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final CompletableFuture<String> result = new CompletableFuture<>();
  private Flow.Subscription subscription;
  private boolean stopped;

  /**
   * Creates a subscriber for one answer.
   *
   * @param maxBytes the most bytes kept; reading stops once they are in
   */
  public ExcerptSubscriber(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public synchronized void onSubscribe(Flow.Subscription value) {
    if (subscription != null || stopped) {
      value.cancel();
      return;
    }
    subscription = value;
    if (maxBytes == 0) {
      stop();
    } else {
      value.request(1);
    }
  }

  @Override
  public synchronized void onNext(List<ByteBuffer> items) {
    for (ByteBuffer item : items) {
      int n = Math.min(item.remaining(), maxBytes - bytes.size());
      byte[] chunk = new byte[n];
      item.get(chunk);
      bytes.write(chunk, 0, n);
    }
    if (bytes.size() >= maxBytes) {
      stop();
    } else if (!stopped) {
      subscription.request(1);
    }
  }

  @Override
  public synchronized void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public synchronized void onComplete() {
    result.complete(bytes.toString(StandardCharsets.UTF_8));
  }

  @Override
  public CompletionStage<String> getBody() {
    return result;
  }

  /**
   * Stops reading an answer whose exchange was given up, so that its connection is closed, not left
   * open.
   */
  public synchronized void abandon() {
    stopped = true;
    if (subscription != null) {
      subscription.cancel();
    }
    result.cancel(false);
  }

  /**
   * Returns whether {@link #abandon()} gave this answer up.
   *
   * @return true once abandoned
   */
  public synchronized boolean abandoned() {
    return stopped && result.isCancelled();
  }

  private void stop() {
    stopped = true;
    subscription.cancel();
    result.complete(bytes.toString(StandardCharsets.UTF_8));
  }
}
