package dev.postoffice.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

@DisplayName("SqsTransportSettings")
class SqsTransportSettingsTest {
  @Nested
  @DisplayName("defaults")
  class Defaults {
    @Test
    @DisplayName(
        "ofDefaults holds every DEFAULT_* constant and leaves region and credentials to the SDK")
    void defaults() {
      SqsTransportSettings s = SqsTransportSettings.ofDefaults();
      assertThat(s.region()).isEmpty();
      assertThat(s.credentialsProvider()).isEmpty();
      assertThat(s.endpointOverride()).isEmpty();
      assertThat(s.namePrefix()).isEqualTo(SqsTransportSettings.DEFAULT_NAME_PREFIX);
      assertThat(s.fifo()).isFalse();
      assertThat(s.waitTime()).isEqualTo(Duration.ofSeconds(20));
      assertThat(s.visibilityTimeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(s.maxDeliveries()).isEqualTo(5);
      assertThat(s.batchLinger()).isEqualTo(Duration.ofMillis(10));
      assertThat(s.messageSizeLimit()).isEqualTo(262_144);
    }

    @Test
    @DisplayName(
        "the largest body is the size limit less the attribute budget, times 3/4 for base64")
    void maxBody() {
      assertThat(SqsTransportSettings.ofDefaults().maxMessageBytes())
          .isEqualTo((262_144 - 8192) / 4 * 3)
          .isEqualTo(190_464);
      assertThat(
              SqsTransportSettings.builder().messageSizeLimit(1_048_576).build().maxMessageBytes())
          .isEqualTo(780_288);
    }

    @Test
    @DisplayName("from(base) copies every value, so one can be changed")
    void from() {
      SqsTransportSettings base =
          SqsTransportSettings.builder()
              .region(Region.EU_WEST_1)
              .fifo(true)
              .maxDeliveries(7)
              .build();
      SqsTransportSettings changed = SqsTransportSettings.from(base).maxDeliveries(2).build();
      assertThat(changed.region()).contains(Region.EU_WEST_1);
      assertThat(changed.fifo()).isTrue();
      assertThat(changed.maxDeliveries()).isEqualTo(2);
      assertThat(base.maxDeliveries()).isEqualTo(7);
    }
  }

  @Nested
  @DisplayName("validation names the property, the rule and the value")
  class Validation {
    @Test
    @DisplayName("numbers out of range")
    void ranges() {
      assertThatThrownBy(() -> SqsTransportSettings.builder().maxDeliveries(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("maxDeliveries must be between 1 and 1000, but was 0");
      assertThatThrownBy(() -> SqsTransportSettings.builder().consumerThreads(0))
          .hasMessage("consumerThreads must be between 1 and 1000, but was 0");
      assertThatThrownBy(() -> SqsTransportSettings.builder().messageSizeLimit(2_000_000))
          .hasMessage("messageSizeLimit must be between 16384 and 1048576, but was 2000000");
    }

    @Test
    @DisplayName("durations out of range or not in whole seconds")
    void durations() {
      assertThatThrownBy(() -> SqsTransportSettings.builder().waitTime(Duration.ofSeconds(21)))
          .hasMessage("waitTime must be between PT0S and PT20S, but was PT21S");
      assertThatThrownBy(
              () -> SqsTransportSettings.builder().visibilityTimeout(Duration.ofMillis(1500)))
          .hasMessage(
              "visibilityTimeout must be a whole number of seconds (SQS counts in seconds), but was PT1.5S");
      assertThatThrownBy(() -> SqsTransportSettings.builder().batchLinger(Duration.ofSeconds(-1)))
          .hasMessageStartingWith("batchLinger must be between PT0S and PT1S");
    }

    @Test
    @DisplayName("names SQS would refuse, and nulls")
    void names() {
      assertThatThrownBy(() -> SqsTransportSettings.builder().namePrefix("prod."))
          .hasMessage("namePrefix must be 0 to 60 of A-Z, a-z, 0-9, '-' and '_', but was 'prod.'");
      assertThatThrownBy(() -> SqsTransportSettings.builder().deadLetterSuffix(""))
          .hasMessageStartingWith("deadLetterSuffix must be 1 to 20");
      assertThatThrownBy(() -> SqsTransportSettings.builder().defaultMessageGroupId("a b"))
          .hasMessageStartingWith(
              "defaultMessageGroupId must be 1 to 128 printable ASCII characters");
      assertThatThrownBy(() -> SqsTransportSettings.builder().region(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("region cannot be null");
    }
  }
}
