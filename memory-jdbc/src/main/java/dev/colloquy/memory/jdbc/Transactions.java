package dev.colloquy.memory.jdbc;

import dev.colloquy.core.memory.MemoryStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Runs one operation of the store as one transaction on a connection of its own: begin, work,
 * commit; on any failure, roll back so that nothing of it is written, and report a driver's failure
 * as a {@link MemoryStoreException} naming the operation.
 *
 * <p>On SQLite another connection may hold the database's write lock for the length of its
 * transaction (milliseconds); the operation then waits and starts over, up to {@code busyWait},
 * whether or not the data source set a busy timeout. Starting over is safe: a transaction that met
 * SQLITE_BUSY wrote nothing, and a save's compare-and-set is checked again.
 */
final class Transactions {

  /** One operation's work on a connection inside a transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DataSource dataSource;
  private final Dialect dialect;
  private final long busyWaitNanos;

  Transactions(DataSource dataSource, Dialect dialect, Duration busyWait) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.busyWaitNanos = busyWait.toNanos();
  }

  /**
   * Runs the work in a transaction.
   *
   * @param operation what is done, for the error message ("save conversation 'x'")
   * @param write whether it writes (then it takes the write lock at once on SQLite)
   * @throws MemoryStoreException when the database fails; runtime exceptions of the work (a
   *     conflict, a corrupt row) pass through after the rollback
   */
  <T> T run(String operation, boolean write, Work<T> work) {
    long start = System.nanoTime();
    for (int attempt = 0; ; attempt++) {
      try {
        return once(operation, write, work);
      } catch (SQLException e) {
        if (dialect.isBusy(e) && System.nanoTime() - start < busyWaitNanos) {
          backOff(operation, attempt);
          continue;
        }
        throw failure(operation, write, e);
      }
    }
  }

  private <T> T once(String operation, boolean write, Work<T> work) throws SQLException {
    Connection c = dataSource.getConnection();
    T result;
    try {
      result = inTransaction(c, write, work);
    } catch (SQLException | RuntimeException e) {
      try {
        c.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    try {
      c.close();
    } catch (SQLException closing) {
      // Committed: the operation succeeded, and a connection that fails to close is the pool's to
      // discard. Reporting a failure here would tell the caller that nothing was written.
    }
    return result;
  }

  // Pools give connections back with their own auto-commit default, so it is not restored here.
  private <T> T inTransaction(Connection c, boolean write, Work<T> work) throws SQLException {
    boolean begun = false;
    boolean committing = false;
    try {
      dialect.begin(c, write);
      begun = true;
      T result = work.run(c);
      committing = true;
      dialect.commit(c);
      return result;
    } catch (SQLException | RuntimeException e) {
      if (begun) {
        try {
          dialect.rollback(c);
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
      }
      if (write && committing && e instanceof SQLException sql && !dialect.isBusy(sql)) {
        throw new CommitUnconfirmed(sql);
      }
      throw e;
    }
  }

  private MemoryStoreException failure(String operation, boolean write, SQLException e) {
    SQLException cause = e instanceof CommitUnconfirmed u ? u.failure : e;
    String outcome =
        e instanceof CommitUnconfirmed
            ? "; the commit was sent but not confirmed, so it may or may not have been applied:"
                + " load the conversation to see"
            : write ? "; nothing was written" : "";
    return new MemoryStoreException(
        "could not "
            + operation
            + " in the "
            + dialect.productName()
            + " memory store ("
            + SqlFailures.describe(cause)
            + ")"
            + outcome,
        SqlFailures.sanitized(cause));
  }

  private void backOff(String operation, int attempt) {
    try {
      Thread.sleep(Math.min(50, 1L << Math.min(attempt, 6)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MemoryStoreException(
          "interrupted while waiting for the "
              + dialect.productName()
              + " write lock to "
              + operation
              + "; nothing was written",
          e);
    }
  }

  /** A failure of the commit itself: the database may have applied the transaction. */
  private static final class CommitUnconfirmed extends SQLException {
    private static final long serialVersionUID = 1L;
    private final transient SQLException failure;

    CommitUnconfirmed(SQLException failure) {
      super(failure.getMessage(), failure.getSQLState(), failure.getErrorCode(), failure);
      this.failure = failure;
    }
  }
}
