package dev.postoffice.examples;

import dev.postoffice.DispatchContext;
import dev.postoffice.DispatchResult;
import dev.postoffice.Dispatcher;
import dev.postoffice.PartnerRequest;
import dev.postoffice.PermanentFailureException;
import dev.postoffice.TransientFailureException;
import dev.postoffice.examples.model.AcmeShipment;
import dev.postoffice.model.EntryId;
import dev.postoffice.spi.Codec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Layer 1 of {@code shipments-to-acme}: a stand-in for Acme's shipments API, in this JVM, where a
 * real host would use an HTTP dispatcher. It behaves like a well-made partner API: it deduplicates
 * on the idempotency key (a repeated request is answered 200 and not booked twice), answers 422 to
 * a shipment it can never take (a {@link PermanentFailureException}: retrying cannot help), and can
 * be told to answer the next requests 503 with a {@code Retry-After} (a {@link
 * TransientFailureException}: PostOffice retries later). Thread-safe.
 */
public final class AcmeApiStandIn implements Dispatcher {
  /** The most parcels Acme takes in one shipment. */
  public static final int MAX_PACKAGES = 99;

  private final Codec codec;
  private final Map<String, AtomicInteger> requestsByKey = new ConcurrentHashMap<>();
  private final Map<String, AcmeShipment> booked = new ConcurrentHashMap<>();
  private final List<EntryId> metOutage = new CopyOnWriteArrayList<>();
  private final AtomicInteger outageLeft = new AtomicInteger();
  private volatile Duration outageRetryAfter = Duration.ZERO;

  private AcmeApiStandIn(Codec codec) {
    this.codec = codec;
  }

  /**
   * Returns a stand-in that accepts every valid shipment.
   *
   * @param codec the codec that reads the request bodies
   * @return the stand-in
   */
  public static AcmeApiStandIn create(Codec codec) {
    return new AcmeApiStandIn(Objects.requireNonNull(codec, "codec cannot be null"));
  }

  // tag::outage[]
  /**
   * Makes the next requests fail as during an outage: answered 503 with a {@code Retry-After}.
   *
   * @param requests how many requests fail, at least 0
   * @param retryAfter the {@code Retry-After} Acme sends
   * @return this stand-in
   */
  public AcmeApiStandIn unavailableFor(int requests, Duration retryAfter) {
    if (requests < 0) {
      throw new IllegalArgumentException("requests must be >= 0, but was " + requests);
    }
    outageRetryAfter = Objects.requireNonNull(retryAfter, "retryAfter cannot be null");
    outageLeft.set(requests);
    return this;
  }

  // end::outage[]

  // tag::dispatcher[]
  @Override
  public DispatchResult dispatch(PartnerRequest request, DispatchContext context) {
    // A real dispatcher sends the request over HTTP here, with an Idempotency-Key header.
    AcmeResponse response = acmeApi(request, context);
    if (response.status() >= 500 || response.status() == 429) {
      throw new TransientFailureException(
          "Acme answered " + response.status() + ": " + response.body(),
          response.retryAfter(),
          null);
    }
    if (response.status() >= 400) {
      throw new PermanentFailureException(
          "Acme answered " + response.status() + ": " + response.body());
    }
    return new DispatchResult(response.status(), response.body());
  }

  // end::dispatcher[]

  /** What Acme's API answers: status, {@code Retry-After} (or null) and body. */
  private record AcmeResponse(int status, Duration retryAfter, String body) {}

  /** Acme's side: outage, validation, deduplication on the idempotency key, booking. */
  private AcmeResponse acmeApi(PartnerRequest request, DispatchContext context) {
    String key = context.idempotencyKey();
    requestsByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    if (outageLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      metOutage.add(context.entryId());
      return new AcmeResponse(503, outageRetryAfter, "Service Unavailable");
    }
    AcmeShipment shipment;
    try {
      shipment = codec.decode(request.body(), AcmeShipment.class);
    } catch (RuntimeException e) {
      return new AcmeResponse(400, null, "not a shipment: " + e.getMessage());
    }
    if (shipment.packages() < 1 || shipment.packages() > MAX_PACKAGES) {
      return new AcmeResponse(
          422, null, "packages must be 1 to " + MAX_PACKAGES + ", but was " + shipment.packages());
    }
    if (booked.putIfAbsent(key, shipment) != null) {
      return new AcmeResponse(
          200,
          null,
          "{\"status\":\"already received\",\"reference\":\"" + shipment.reference() + "\"}");
    }
    return new AcmeResponse(
        201, null, "{\"status\":\"booked\",\"reference\":\"" + shipment.reference() + "\"}");
  }

  /**
   * Returns how many requests arrived with an idempotency key, retries included.
   *
   * @param idempotencyKey the key
   * @return the number of requests
   */
  public int requests(String idempotencyKey) {
    AtomicInteger count = requestsByKey.get(idempotencyKey);
    return count == null ? 0 : count.get();
  }

  /**
   * Returns the shipments booked, by idempotency key; each key is booked once however often it is
   * sent.
   *
   * @return an unmodifiable snapshot
   */
  public Map<String, AcmeShipment> booked() {
    return Map.copyOf(booked);
  }

  /**
   * Returns the entries whose request was answered 503, in order.
   *
   * @return an unmodifiable snapshot
   */
  public List<EntryId> metOutage() {
    return List.copyOf(metOutage);
  }
}
