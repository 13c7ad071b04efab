package dev.postoffice.coreapp;

/**
 * The Core App's code for one kind of message, run inside the receipt log's transaction: the
 * handler's writes through {@code transaction} and the receipt mark commit together, or neither
 * does. With {@code JdbcReceiptLog} the transaction is a {@code java.sql.Connection} on the log's
 * database (the core's own database, where its effects live). The log claims the message id before
 * the handler runs, so two receivers (threads or nodes) never both run it, and a receiver killed
 * before the commit leaves no effect behind: the redelivered message runs the handler again, once.
 * Do not commit, roll back or close the connection.
 *
 * <p>Throw {@link dev.postoffice.RejectedInputException} for a message the core can never accept
 * (PostOffice is told, and it is dead-lettered); any other exception rolls the transaction back and
 * has the message delivered again.
 *
 * <pre>{@code
 * CoreAppReceiver.builder(transport, jdbcReceiptLog, OrderPlaced.class)
 *     .from("core.orders")
 *     .handler(Connection.class, (order, context, connection) -> orders.insert(connection, order))
 *     .build();
 * }</pre>
 *
 * @param <T> the core message type
 * @param <X> the transaction's type
 */
@FunctionalInterface
public interface TransactionalMessageHandler<T, X> {
  /**
   * Handles one message in the receipt log's transaction.
   *
   * @param message the decoded message
   * @param context its message id, trace id, route and headers
   * @param transaction the open transaction; its commit also marks the message handled
   * @throws Exception to roll back and have it delivered again
   */
  void handle(T message, CoreMessageContext context, X transaction) throws Exception;
}
