/**
 * The Core App's side of layer 4: {@link dev.postoffice.coreapp.CoreAppReceiver} (dedup, handler,
 * acknowledgement), {@link dev.postoffice.coreapp.CoreAppSender}, the handler types, and {@link
 * dev.postoffice.coreapp.InMemoryReceiptLog}. The durable receipt log is in {@code
 * dev.postoffice.coreapp.jdbc}. Nothing here depends on PostOffice's engine.
 */
package dev.postoffice.coreapp;
