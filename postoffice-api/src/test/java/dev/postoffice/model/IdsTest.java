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
