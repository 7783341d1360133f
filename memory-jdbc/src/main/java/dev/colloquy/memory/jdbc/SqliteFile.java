package dev.colloquy.memory.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The SQLite file of {@link JdbcMemoryStore#sqlite}: write-ahead log, {@code synchronous=FULL}, a
 * busy timeout, foreign keys on; and a few connections kept open between operations.
 *
 * <p>Keeping them open matters more than the cost of opening one: when the last connection to a WAL
 * database closes, SQLite checkpoints the log into the file and deletes it, so a store that opened
 * and closed a connection per operation would pay several extra disk flushes per save. A connection
 * handed out is a proxy whose {@code close} gives it back; one whose state is unknown (a failed
 * rollback) is {@code abort}ed and really closed.
 */
final class SqliteFile implements DataSource, AutoCloseable {

  /** How many idle connections are kept. */
  static final int MAX_IDLE = 4;

  private final SQLiteDataSource source;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  SqliteFile(Path file, int busyTimeoutMillis) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(busyTimeoutMillis);
    config.enforceForeignKeys(true);
    source = new SQLiteDataSource(config);
    source.setUrl("jdbc:sqlite:" + file);
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (closed.get()) {
      throw new SQLException("the SQLite file of the memory store is closed");
    }
    Connection c = idle.pollFirst();
    if (c != null) {
      idleCount.decrementAndGet();
    } else {
      c = source.getConnection();
    }
    return lent(c);
  }

  private Connection lent(Connection real) {
    AtomicBoolean back = new AtomicBoolean();
    return (Connection)
        Proxy.newProxyInstance(
            SqliteFile.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "close":
                  if (back.compareAndSet(false, true)) {
                    giveBack(real);
                  }
                  return null;
                case "abort":
                  if (back.compareAndSet(false, true)) {
                    real.close();
                  }
                  return null;
                case "isClosed":
                  return back.get() || real.isClosed();
                default:
                  if (back.get() && method.getDeclaringClass() != Object.class) {
                    throw new SQLException("connection already given back");
                  }
                  try {
                    return method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
              }
            });
  }

  private void giveBack(Connection real) throws SQLException {
    if (closed.get() || real.isClosed()) {
      real.close();
      return;
    }
    if (idleCount.incrementAndGet() > MAX_IDLE) {
      idleCount.decrementAndGet();
      real.close();
      return;
    }
    idle.addFirst(real);
    // close() may have emptied the queue just before this connection arrived.
    if (closed.get() && idle.remove(real)) {
      real.close();
    }
  }

  /** Closes the idle connections; connections in use close when given back. */
  @Override
  public void close() throws SQLException {
    closed.set(true);
    SQLException failure = null;
    for (Connection c = idle.pollFirst(); c != null; c = idle.pollFirst()) {
      try {
        c.close();
      } catch (SQLException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // Nothing is logged.
  }

  @Override
  public void setLoginTimeout(int seconds) {
    // A file needs no login.
  }

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no java.util.logging logger");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper of " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }
}
