package org.meshportal.catalog.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's LISTEN/NOTIFY between the replicas of one database: one connection of its own
 * (outside the pool, which would hand it to others) listens on the channels handlers were added
 * for and calls them on its thread. Notifications are wake-ups, not messages: one lost while the
 * connection was down costs nothing, because every listener also polls (and {@link #onReconnect}
 * tells it to look at once).
 */
public final class PostgresNotifications implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresNotifications.class);
  private static final int WAIT_MILLIS = 1000;
  /** Every catalog commit notifies it, with the new generation as payload (sent inside the commit). */
  public static final String CATALOG_CHANNEL = "portal_catalog_generation";
  /** Provider requests a replica hands to the leader (payload: {@code sync:<id>} or {@code confirm:<id>:<commit>}). */
  public static final String GIT_SYNC_CHANNEL = "portal_git_sync";

  private final DatabaseSettings settings;
  private final DataSource pool;
  private final Map<String, Consumer<String>> handlers = new ConcurrentHashMap<>();
  private volatile Runnable onReconnect = () -> { };
  private volatile boolean closed;
  private Thread thread;

  PostgresNotifications(DatabaseSettings settings, DataSource pool) {
    this.settings = settings;
    this.pool = pool;
  }

  /** Calls {@code handler} with the payload of each notification on {@code channel}; add before {@link #start}. */
  public void on(String channel, Consumer<String> handler) {
    handlers.put(channel, handler);
  }

  /** Called after each (re)connection: notifications sent while disconnected were lost. */
  public void onReconnect(Runnable action) {
    this.onReconnect = action;
  }

  public synchronized void start() {
    if (thread == null) {
      thread = Thread.ofPlatform().name("db-notifications").daemon().start(this::run);
    }
  }

  /** Sends a notification (delivered to every listening replica, this one included). */
  public void send(String channel, String payload) {
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      ps.setString(1, channel);
      ps.setString(2, payload);
      ps.execute();
    } catch (SQLException e) {
      throw new StoreException("Could not notify the other replicas", e);
    }
  }

  private void run() {
    long backoff = 500;
    while (!closed) {
      try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password())) {
        try (Statement st = c.createStatement()) {
          for (String channel : handlers.keySet()) {
            st.execute("LISTEN " + channel); // channel names are constants of ours
          }
        }
        backoff = 500;
        onReconnect.run();
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] received = pg.getNotifications(WAIT_MILLIS);
          if (received == null) {
            continue;
          }
          for (PGNotification n : received) {
            Consumer<String> handler = handlers.get(n.getName());
            if (handler != null) {
              try {
                handler.accept(n.getParameter());
              } catch (RuntimeException e) {
                LOG.warn("Handling a notification on {} failed: {}", n.getName(), e.toString());
              }
            }
          }
        }
      } catch (SQLException e) {
        if (closed) {
          return;
        }
        LOG.warn("Listening for other replicas' notifications failed ({}); reconnecting in {} ms", e.getMessage(),
            backoff);
        try {
          Thread.sleep(backoff); // reconnect backoff, not a test wait
        } catch (InterruptedException ie) {
          return;
        }
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(WAIT_MILLIS * 3L);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
