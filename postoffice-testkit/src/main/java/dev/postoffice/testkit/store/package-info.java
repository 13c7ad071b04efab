/**
 * The suite {@link dev.postoffice.testkit.store.StatusStoreContract} and its groups, one class per
 * {@code @Nested} group. The suite composes them; each takes the store under test from a {@link
 * dev.postoffice.testkit.store.StoreFixture} and shares its helpers through {@link
 * dev.postoffice.testkit.store.StoreContractGroup}. A store's test extends the suite, not these.
 */
package dev.postoffice.testkit.store;
