package dev.postoffice.testkit;

import dev.postoffice.spi.Subscription;
import java.util.Objects;

/**
 * A {@link Subscription} that passes every call on to another, for decorators that watch or change
 * a few calls: extend it and override only those. {@code pause} and {@code resume} forward too, so
 * the wrapped subscription's flow control still works.
 */
public abstract class ForwardingSubscription implements Subscription {
  private final Subscription delegate;

  /**
   * Wraps a subscription.
   *
   * @param delegate the subscription every call goes to
   * @throws NullPointerException if delegate is null
   */
  protected ForwardingSubscription(Subscription delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate cannot be null");
  }

  /**
   * @return the subscription every call goes to
   */
  protected final Subscription delegate() {
    return delegate;
  }

  @Override
  public void pause() {
    delegate.pause();
  }

  @Override
  public void resume() {
    delegate.resume();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
