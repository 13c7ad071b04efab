package dev.postoffice.core.intake;

import dev.postoffice.core.intake.internal.HmacSignature;
import dev.postoffice.core.intake.internal.StandardWebhooksSignature;
import dev.postoffice.core.intake.internal.StripeSignature;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How a webhook route checks that a request comes from its partner. Every scheme compares in
 * constant time ({@link java.security.MessageDigest#isEqual}) and accepts several secrets, so a
 * partner can rotate its secret without downtime: list the new and the old one until the old one is
 * retired. Secrets never appear in {@code toString()} or logs.
 *
 * <pre>{@code
 * WebhookSignature.github(List.of(newSecret, oldSecret));       // X-Hub-Signature-256: sha256=<hex>
 * WebhookSignature.shopify(List.of(secret));                    // X-Shopify-Hmac-Sha256: <base64>
 * WebhookSignature.standardWebhooks(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
 * WebhookSignature.stripe(List.of(endpointSecret));              // Stripe-Signature: t=..,v1=..
 * }</pre>
 *
 * <p>A partner with another scheme needs only this one method: implement it (a lambda will do),
 * reading the headers from the request and the time from {@code now}, and return why a request is
 * refused. The reason is logged for the operator, never sent to the caller, who gets a bare 401.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface WebhookSignature {
  /** The tolerance of a signed timestamp (Standard Webhooks, Stripe), unless set: 5 minutes. */
  Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  /** How an HMAC is written in its header. */
  enum Encoding {
    /** Lower-case hex after a {@code sha256=} prefix, as GitHub's {@code X-Hub-Signature-256}. */
    HEX_SHA256_PREFIX,
    /** Plain lower- or upper-case hex. */
    HEX,
    /** Standard Base64, as Shopify's {@code X-Shopify-Hmac-Sha256}. */
    BASE64
  }

  /**
   * Checks a request.
   *
   * @param request the request (for its headers)
   * @param body the complete body
   * @param now the current time, from the handler's clock
   * @return why the request is refused (without any secret), or empty if it is genuine
   */
  Optional<String> check(WebhookRequest request, byte[] body, Instant now);

  /**
   * Returns an HMAC-SHA256 check of the body with shared secrets, the signature in a header.
   *
   * @param header the header carrying the signature
   * @param encoding how the signature is written
   * @param secrets the valid secrets (UTF-8), at least one
   * @return the check
   * @throws IllegalArgumentException if there is no secret or one is empty
   */
  static WebhookSignature hmacSha256(String header, Encoding encoding, List<String> secrets) {
    return new HmacSignature(header, encoding, secrets);
  }

  /**
   * Returns GitHub's scheme: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>}.
   *
   * @param secrets the valid secrets, at least one
   * @return the check
   */
  static WebhookSignature github(List<String> secrets) {
    return hmacSha256("X-Hub-Signature-256", Encoding.HEX_SHA256_PREFIX, secrets);
  }

  /**
   * Returns Shopify's scheme: {@code X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the body>}.
   *
   * @param secrets the valid secrets, at least one
   * @return the check
   */
  static WebhookSignature shopify(List<String> secrets) {
    return hmacSha256("X-Shopify-Hmac-Sha256", Encoding.BASE64, secrets);
  }

  /**
   * Returns the Standard Webhooks scheme (standardwebhooks.com) with a timestamp tolerance of 5
   * minutes.
   *
   * @param secrets the valid secrets, each {@code whsec_<base64 key>}, at least one
   * @return the check
   * @see #standardWebhooks(List, Duration)
   */
  static WebhookSignature standardWebhooks(List<String> secrets) {
    return standardWebhooks(secrets, DEFAULT_TOLERANCE);
  }

  /**
   * Returns the Standard Webhooks scheme: {@code webhook-signature: v1,<base64 HMAC-SHA256 of
   * "id.timestamp.body">} (several space-separated signatures allowed), {@code webhook-id}, and a
   * {@code webhook-timestamp} in Unix seconds that must lie within the tolerance of now, against
   * replays.
   *
   * @param secrets the valid secrets, each {@code whsec_<base64 key>}, at least one
   * @param tolerance how far the timestamp may be from now, 1 s to 1 h; default 5 minutes
   * @return the check
   * @throws IllegalArgumentException if a secret is not {@code whsec_} followed by Base64, or the
   *     tolerance is out of bounds
   */
  static WebhookSignature standardWebhooks(List<String> secrets, Duration tolerance) {
    return new StandardWebhooksSignature(secrets, tolerance);
  }

  /**
   * Returns Stripe's scheme with a timestamp tolerance of 5 minutes, Stripe's own default.
   *
   * @param secrets the endpoint's signing secrets ({@code whsec_...}), at least one
   * @return the check
   * @see #stripe(List, Duration)
   */
  static WebhookSignature stripe(List<String> secrets) {
    return stripe(secrets, DEFAULT_TOLERANCE);
  }

  /**
   * Returns Stripe's scheme: {@code Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
   * "t.body">}. Several {@code v1} values are allowed (Stripe sends one per active secret while a
   * secret is rolled), and {@code t} must lie within the tolerance of now, against replays.
   *
   * @param secrets the endpoint's signing secrets ({@code whsec_...}, used as they are), at least
   *     one
   * @param tolerance how far the timestamp may be from now, 1 s to 1 h; default 5 minutes
   * @return the check
   * @throws IllegalArgumentException if there is no secret, one is empty, or the tolerance is out
   *     of bounds
   */
  static WebhookSignature stripe(List<String> secrets, Duration tolerance) {
    return new StripeSignature(secrets, tolerance);
  }
}
