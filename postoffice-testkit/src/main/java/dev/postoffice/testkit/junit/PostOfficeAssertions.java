package dev.postoffice.testkit.junit;

/**
 * The entry point of the assertions on a {@link TestPostOffice}.
 *
 * <pre>{@code
 * import static dev.postoffice.testkit.junit.PostOfficeAssertions.assertThat;
 *
 * assertThat(po).route("acme-orders").layer(Layer.L4).hasSize(2).hasStatus(Status.ACKNOWLEDGED);
 * assertThat(po).entry(receipt).hasHistory(Status.JUST_IN, Status.PROCESSED);
 * assertThat(po).descendantsOf(receipt).layer(Layer.L4).hasStatus(Status.ACKNOWLEDGED);
 * }</pre>
 */
public final class PostOfficeAssertions {
  private PostOfficeAssertions() {}

  /**
   * Starts assertions on what a test's pipeline stored.
   *
   * @param actual the test's post office
   * @return the assertions
   */
  public static PostOfficeAssert assertThat(TestPostOffice actual) {
    return new PostOfficeAssert(actual);
  }
}
