package dev.colloquy.memory.jdbc;

import dev.colloquy.core.memory.MemoryStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Runs one operation of the store on a connection of its own: a write as one transaction (begin,
 * work, commit; on any failure, roll back so that nothing of it is written), a read as the single
 * statement it is; and reports a driver's failure as a {@link MemoryStoreException} naming the
 * operation.
 *
 * <p>On SQLite, writes of this store take turns on a lock of the store first; another connection
 * (another store on the same file, another process) may still hold the database's write lock for
 * the length of its transaction (milliseconds); the operation then waits and starts over, up to
 * {@code busyWait}, whether or not the data source set a busy timeout. Starting over is safe: a
 * transaction that met SQLITE_BUSY wrote nothing, and a save's compare-and-set is checked again.
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
  // SQLite has one writer at a time. This store's writers queue here, woken one by one as the lock
  // frees, instead of polling in SQLite's busy handler, whose growing sleeps let some writers wait
  // out the busy timeout under load. Not a fair lock: handing over to a parked thread on a busy
  // machine costs more than the order is worth (a fair one measured 8 times slower at 16 threads).
  private final ReentrantLock writers;

  Transactions(DataSource dataSource, Dialect dialect, Duration busyWait) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.busyWaitNanos = busyWait.toNanos();
    this.writers = dialect == Dialect.SQLITE ? new ReentrantLock() : null;
  }

  /**
   * Runs the work.
   *
   * @param operation what is done, for the error message ("save conversation 'x'")
   * @param write whether it writes: then it runs in a transaction that takes the write lock at once
   *     on SQLite; otherwise it must be a single statement
   * @throws MemoryStoreException when the database fails; runtime exceptions of the work (a
   *     conflict, a corrupt row) pass through after the rollback
   */
  <T> T run(String operation, boolean write, Work<T> work) {
    if (!write || writers == null) {
      return attempt(operation, write, work);
    }
    try {
      writers.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MemoryStoreException(
          "interrupted while waiting to " + operation + "; nothing was written", e);
    }
    try {
      return attempt(operation, true, work);
    } finally {
      writers.unlock();
    }
  }

  private <T> T attempt(String operation, boolean write, Work<T> work) {
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
      result = write ? inTransaction(c, work) : alone(c, work);
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

  // A read is one statement, which sees one snapshot by itself: no transaction around it, unless
  // the pool hands out connections that are not in auto-commit, whose implicit one ends here.
  private static <T> T alone(Connection c, Work<T> work) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    T result = work.run(c);
    if (!autoCommit) {
      c.rollback();
    }
    return result;
  }

  // The connection's auto-commit setting is put back afterwards, as a pool expects to find it.
  private <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    boolean begun = false;
    boolean committing = false;
    T result;
    try {
      dialect.begin(c);
      begun = true;
      result = work.run(c);
      committing = true;
      dialect.commit(c);
    } catch (SQLException | RuntimeException e) {
      if (begun) {
        try {
          dialect.rollback(c);
          restore(c, autoCommit);
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
          // Its transaction state is unknown: a pool must not lend it again.
          abort(c, e);
        }
      }
      if (committing && e instanceof SQLException sql && !dialect.isBusy(sql)) {
        throw new CommitUnconfirmed(sql);
      }
      throw e;
    }
    try {
      restore(c, autoCommit);
    } catch (SQLException e) {
      // Committed: the operation succeeded. A connection whose setting cannot be put back is
      // aborted, so that a pool discards it rather than lend it in a state nobody expects.
      abort(c, e);
    }
    return result;
  }

  private static void restore(Connection c, boolean autoCommit) throws SQLException {
    if (c.getAutoCommit() != autoCommit) {
      c.setAutoCommit(autoCommit);
    }
  }

  private static void abort(Connection c, Exception failure) {
    try {
      c.abort(Runnable::run);
    } catch (SQLException | RuntimeException abortFailure) {
      failure.addSuppressed(abortFailure);
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
