/**
 * In-memory reference implementations of the engine's SPIs: {@link
 * dev.postoffice.core.memory.InMemoryStatusStore} and {@link
 * dev.postoffice.core.memory.InMemoryTransport}. (The Core App's in-memory receipt log, {@code
 * InMemoryReceiptLog}, ships in postoffice-coreapp.)
 *
 * <p>They are not stubs: they pass the same contract suites as the database stores and the broker
 * transports, the engine's own tests run on them, and hosts use them to test their routes. Prefer
 * them to mocks of the SPIs. They are honest about what they are not: their data lives in this JVM
 * only and is gone when it stops ({@code durable=false}), and they cannot be shared by several
 * processes ({@code sharedAcrossNodes=false}).
 */
package dev.postoffice.core.memory;
