/**
 * How a stage runs: {@code StageRunner} claims batches ({@code BatchSource}) or takes them from the
 * fast path ({@code HandOffQueue}, reserved through {@code HandOffReservation}), runs the stage
 * logic, turns outcomes into completions ({@code StageCompletions}) and commits them ({@code
 * StageCommit}, isolating a poison entry); {@code WorkerLoop} keeps a worker thread going through
 * store outages.
 *
 * <p>Internal: no compatibility promise; do not use from other modules.
 */
package dev.postoffice.core.internal.runner;
