/**
 * The suite {@link dev.postoffice.testkit.transport.TransportContract} and its groups, one class
 * per {@code @Nested} group. The suite composes them; each takes the transport under test from a
 * {@link dev.postoffice.testkit.transport.TransportFixture} and shares its helpers through {@link
 * dev.postoffice.testkit.transport.TransportContractGroup}. A transport's test extends the suite,
 * not these.
 */
package dev.postoffice.testkit.transport;
