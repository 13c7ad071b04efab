/**
 * Built-in layer-1 dispatchers: {@link dev.postoffice.core.dispatch.HttpDispatcher} sends partner
 * requests with {@code java.net.http.HttpClient}. See {@code docs/connectors.md}.
 */
package dev.postoffice.core.dispatch;
