package dev.postoffice.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("RabbitTransportSettings")
class RabbitTransportSettingsTest {

  @Nested
  @DisplayName("defaults")
  class Defaults {
    @Test
    @DisplayName("ofDefaults() holds every DEFAULT_* constant")
    void defaults() {
      RabbitTransportSettings s = RabbitTransportSettings.ofDefaults();
      assertThat(s.host()).isEqualTo(RabbitTransportSettings.DEFAULT_HOST);
      assertThat(s.port()).isEqualTo(RabbitTransportSettings.DEFAULT_PORT);
      assertThat(s.virtualHost()).isEqualTo("/");
      assertThat(s.username()).isEqualTo("guest");
      assertThat(s.tls()).isFalse();
      assertThat(s.sslContext()).isNull();
      assertThat(s.prefetch()).isEqualTo(RabbitTransportSettings.DEFAULT_PREFETCH);
      assertThat(s.consumerThreads()).isEqualTo(RabbitTransportSettings.DEFAULT_CONSUMER_THREADS);
      assertThat(s.maxOutstandingPublishes())
          .isEqualTo(RabbitTransportSettings.DEFAULT_MAX_OUTSTANDING_PUBLISHES);
      assertThat(s.confirmTimeout()).isEqualTo(RabbitTransportSettings.DEFAULT_CONFIRM_TIMEOUT);
      assertThat(s.maxDeliveries()).isEqualTo(RabbitTransportSettings.DEFAULT_MAX_DELIVERIES);
      assertThat(s.quorumQueues()).isFalse();
      assertThat(s.createTopology()).isTrue();
      assertThat(s.namePrefix()).isEmpty();
      assertThat(s.exchange()).isEqualTo("postoffice");
      assertThat(s.deadLetterExchange()).isEqualTo("postoffice.dead-letter");
      assertThat(s.deadLetterSuffix()).isEqualTo(".dlq");
      assertThat(s.connectionName()).isEqualTo("postoffice");
      assertThat(s.recoveryInterval()).isEqualTo(Duration.ofSeconds(1));
      assertThat(s.maxMessageBytes()).isEqualTo(128 * 1024 * 1024);
    }

    @Test
    @DisplayName("from(base) copies every value, so a builder can change a few")
    void from() {
      RabbitTransportSettings base =
          RabbitTransportSettings.builder()
              .host("h")
              .port(5671)
              .tls(true)
              .password("p")
              .prefetch(7)
              .quorumQueues(true)
              .createTopology(false)
              .namePrefix("x.")
              .build();
      RabbitTransportSettings copy = RabbitTransportSettings.from(base).prefetch(9).build();
      assertThat(copy.toString()).isEqualTo(base.toString().replace("prefetch=7", "prefetch=9"));
      assertThat(copy.password()).isEqualTo("p");
    }

    @Test
    @DisplayName("an SSLContext turns TLS on")
    void sslContextTurnsTlsOn() throws Exception {
      RabbitTransportSettings s =
          RabbitTransportSettings.builder().sslContext(SSLContext.getDefault()).build();
      assertThat(s.tls()).isTrue();
      assertThat(s.sslContext()).isNotNull();
    }
  }

  @Nested
  @DisplayName("the password")
  class Password {
    @Test
    @DisplayName("never appears in toString()")
    void redacted() {
      RabbitTransportSettings s =
          RabbitTransportSettings.builder().username("svc").password("s3cr3t-Pa55").build();
      assertThat(s.toString()).doesNotContain("s3cr3t-Pa55").contains("svc:****@");
      assertThat(s.password()).isEqualTo("s3cr3t-Pa55");
    }
  }

  @Nested
  @DisplayName("validation rejects")
  class Validation {
    private final RabbitTransportSettings.Builder b = RabbitTransportSettings.builder();

    @Test
    @DisplayName("numbers out of bounds, naming the property, the bounds and the value")
    void bounds() {
      assertThatThrownBy(() -> b.prefetch(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("prefetch must be between 1 and 65535, but was 0");
      assertThatThrownBy(() -> b.port(70000))
          .hasMessage("port must be between 1 and 65535, but was 70000");
      assertThatThrownBy(() -> b.maxOutstandingPublishes(0))
          .hasMessage("maxOutstandingPublishes must be between 1 and 100000, but was 0");
      assertThatThrownBy(() -> b.maxDeliveries(0))
          .hasMessage("maxDeliveries must be between 1 and 1000, but was 0");
      assertThatThrownBy(() -> b.consumerThreads(257))
          .hasMessage("consumerThreads must be between 1 and 256, but was 257");
      assertThatThrownBy(() -> b.maxMessageBytes(0))
          .hasMessage("maxMessageBytes must be between 1 and 134217728, but was 0");
    }

    @Test
    @DisplayName("durations that are not positive")
    void durations() {
      assertThatThrownBy(() -> b.confirmTimeout(Duration.ZERO))
          .hasMessage("confirmTimeout must be positive, but was PT0S");
      assertThatThrownBy(() -> b.recoveryInterval(Duration.ofSeconds(-1)))
          .hasMessage("recoveryInterval must be positive, but was PT-1S");
    }

    @Test
    @DisplayName("nulls and blank names")
    void nullsAndBlanks() {
      assertThatThrownBy(() -> b.host(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("host cannot be null");
      assertThatThrownBy(() -> b.password(null)).hasMessage("password cannot be null");
      assertThatThrownBy(() -> b.host(" "))
          .hasMessage("host must be 1 to 255 non-blank characters, but was ' '");
      assertThatThrownBy(() -> b.exchange(""))
          .hasMessage("exchange must be 1 to 100 non-blank characters, but was ''");
      assertThatThrownBy(() -> b.namePrefix(null)).hasMessage("namePrefix cannot be null");
    }

    @Test
    @DisplayName("one exchange for destinations and dead letters")
    void sameExchanges() {
      assertThatThrownBy(() -> b.exchange("x").deadLetterExchange("x").build())
          .hasMessage("exchange and deadLetterExchange must differ, but both were 'x'");
    }
  }
}
