package dev.postoffice.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Ids")
class IdsTest {
  @Test
  @DisplayName("derive the same output id from the same source, generation and index, on any node")
  void derivedIdsAreDeterministic() {
    EntryId source = EntryId.of("source-1");
    assertThat(EntryId.derive(source, 0, 0))
        .isEqualTo(EntryId.derive(EntryId.of("source-1"), 0, 0));
    assertThat(EntryId.derive(source, 0, 0)).isNotEqualTo(EntryId.derive(source, 0, 1));
    assertThat(EntryId.derive(source, 0, 0)).isNotEqualTo(EntryId.derive(source, 1, 0));
  }

  @Test
  @DisplayName(
      "derive the ids earlier versions derived, so a rerun after an upgrade still finds its outputs")
  void derivedIdsAreStableAcrossVersions() {
    EntryId timeOrdered = EntryId.of("0190a4f2-7c3e-7a11-8e2f-5b6c7d8e9f00");
    assertThat(EntryId.derive(timeOrdered, 0, 0).value())
        .isEqualTo("0190a4f2-7c3e-74c6-b55a-4170b5141be9");
    assertThat(EntryId.derive(timeOrdered, 2, 5).value())
        .isEqualTo("0190a4f2-7c3e-720f-834c-fbc20122f4af");
    assertThat(EntryId.derive(EntryId.of("host-id-1"), 0, 0).value())
        .isEqualTo("ca8a6d73-5752-3cee-8d6d-53cce7540870");
    for (int i = 0; i < 100; i++) { // other sources: the JDK's name-based UUID, as before
      EntryId source = EntryId.of("host-" + i);
      assertThat(EntryId.derive(source, 1, i).value())
          .isEqualTo(
              java.util
                  .UUID
                  .nameUUIDFromBytes(
                      ("host-" + i + "/1/" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                  .toString());
    }
  }

  @Test
  @DisplayName(
      "derive from any source what the plain computation does: UTF-8 name, MD5, and the time"
          + " prefix of a version 7 source however it is written")
  void derivedIdsMatchThePlainComputation() {
    java.util.List<String> sources = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      sources.add(EntryId.random().value());
      sources.add(java.util.UUID.randomUUID().toString());
    }
    String v7 = EntryId.random().value();
    sources.add(v7.toUpperCase(java.util.Locale.ROOT));
    sources.add("0190A4F2-7c3e-7A11-8e2f-5b6c7d8e9f00");
    sources.add("0190a4f2x7c3e-7a11-8e2f-5b6c7d8e9f00"); // 36 characters, a '7' at 14, not a UUID
    sources.add("0190a4f2-7c3e-7a11-8e2f-5b6c7d8e9fzz");
    sources.add(
        "+190a4f2-7c3e-7a11-8e2f-5b6c7d8e9f00"); // what UUID.fromString's lenient path takes
    sources.add("0190a4f2-7c3e-7a11-8e2f-5b6c7d8e9f0\u00e9");
    sources.add("0190a4f2-7c3e-7a11-8e2f-5b6c7d8e9f\uff10\uff10"); // full-width digits
    sources.add("r\u00e9sum\u00e9-\u65e5\u672c");
    sources.add("x".repeat(EntryId.MAX_LENGTH));
    sources.add("host-id-1");
    int[] numbers = {0, 1, 9, 10, 99, 100, 12345, Integer.MAX_VALUE};
    for (String source : sources) {
      for (int generation : numbers) {
        for (int index : new int[] {0, 7, 10, Integer.MAX_VALUE}) {
          assertThat(EntryId.derive(EntryId.of(source), generation, index).value())
              .as("%s/%d/%d", source, generation, index)
              .isEqualTo(plainDerive(source, generation, index));
        }
      }
    }
  }

  /** The derivation as earlier versions computed it, step by step with the JDK's own parts. */
  private static String plainDerive(String source, int generation, int index) {
    java.util.UUID hashed =
        java.util.UUID.nameUUIDFromBytes(
            (source + "/" + generation + "/" + index)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    java.util.UUID parsed = null;
    if (source.length() == 36 && source.charAt(14) == '7') {
      try {
        parsed = java.util.UUID.fromString(source);
      } catch (IllegalArgumentException e) {
        parsed = null;
      }
    }
    if (parsed == null || parsed.version() != 7) {
      return hashed.toString();
    }
    long prefix = parsed.getMostSignificantBits() & 0xFFFFFFFFFFFF0000L;
    long msb = prefix | 0x7000L | (hashed.getMostSignificantBits() & 0x0FFFL);
    long lsb = (hashed.getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new java.util.UUID(msb, lsb).toString();
  }

  @Test
  @DisplayName(
      "are time-ordered, and outputs share their source's time prefix so they sit beside it in indexes")
  void timeOrdered() {
    EntryId first = EntryId.random();
    java.util.UUID uuid = java.util.UUID.fromString(first.value());
    assertThat(uuid.version()).isEqualTo(7);
    assertThat(uuid.variant()).isEqualTo(2);
    long millis = uuid.getMostSignificantBits() >>> 16;
    assertThat(millis)
        .isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis() + 1);
    EntryId child = EntryId.derive(first, 0, 3);
    assertThat(child.value().substring(0, 13)).isEqualTo(first.value().substring(0, 13));
    assertThat(java.util.UUID.fromString(child.value()).version()).isEqualTo(7);
    assertThat(EntryId.derive(EntryId.of("host-id-1"), 0, 0).value()).hasSize(36);
    assertThat(TraceId.random().value()).isNotEqualTo(TraceId.random().value());
  }

  @Test
  @DisplayName("refuse route names that are not safe as queue names and keys, saying why")
  void routeNames() {
    assertThat(RouteId.of("acme-orders.v2_eu").value()).isEqualTo("acme-orders.v2_eu");
    assertThatThrownBy(() -> RouteId.of("Acme Orders"))
        .hasMessage(
            "route must be 1 to 100 characters of [a-z0-9._-] starting with a letter or digit,"
                + " but was 'Acme Orders'");
    assertThatThrownBy(() -> RouteId.of(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("route cannot be null");
  }

  @Test
  @DisplayName("number the layers 1 to 4 and know which layer comes next in each direction")
  void layers() {
    assertThat(Layer.of(1)).isEqualTo(Layer.L1);
    assertThat(Layer.L1.next(Direction.UPSTREAM)).isEqualTo(Layer.L2);
    assertThat(Layer.L4.next(Direction.DOWNSTREAM)).isEqualTo(Layer.L3);
    assertThatThrownBy(() -> Layer.of(5)).hasMessage("layer must be between 1 and 4, but was 5");
  }

  @Test
  @DisplayName("read payload bytes without copying them, and take over arrays handed to wrap")
  void payloadWithoutCopies() throws java.io.IOException {
    byte[] bytes = {1, 2, 3};
    Payload wrapped = Payload.wrap(bytes, Payload.OCTET_STREAM);
    assertThat(wrapped.asInputStream().readAllBytes()).containsExactly(1, 2, 3);
    assertThatThrownBy(() -> Payload.wrap(null, Payload.JSON))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("bytes cannot be null");
  }

  @Test
  @DisplayName("keep payload bytes immutable")
  void payloadCopies() {
    byte[] bytes = {1, 2, 3};
    Payload payload = Payload.of(bytes, Payload.OCTET_STREAM);
    bytes[0] = 9;
    payload.bytes()[1] = 9;
    assertThat(payload.bytes()).containsExactly(1, 2, 3);
    assertThat(payload).isEqualTo(Payload.of(new byte[] {1, 2, 3}, Payload.OCTET_STREAM));
  }
}
