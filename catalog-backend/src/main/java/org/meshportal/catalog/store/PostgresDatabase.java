package org.meshportal.catalog.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.nio.file.Path;
import java.time.Duration;
import org.meshportal.catalog.auth.PendingSignIns;
import org.meshportal.catalog.auth.PublicKeyStore;
import org.meshportal.templates.TaskStore;

/**
 * One PostgreSQL database (Backstage's {@code backend.database} with {@code client: pg}) and its
 * HikariCP pool, shared by the stores that live in it: the catalog, scaffolder tasks and the
 * replicas' public signing keys. The schema is migrated once on open, however many replicas
 * start together. Closing it closes the pool; the stores it hands out do not own the pool.
 */
public final class PostgresDatabase implements AutoCloseable {
  /** How often a task event wait looks for events appended by other processes. */
  static final Duration EVENT_POLL = Duration.ofMillis(200);

  private final HikariDataSource dataSource;
  private final String url;
  private final CatalogStore catalog;
  private final PublicKeyStore keys;
  private final PostgresNotifications notifications;

  private PostgresDatabase(HikariDataSource dataSource, DatabaseSettings settings) {
    this.dataSource = dataSource;
    this.url = settings.jdbcUrl();
    this.notifications = new PostgresNotifications(settings, dataSource);
    // The catalog store applies the catalog migrations (under an advisory lock) before anything else runs.
    this.catalog = new JdbcCatalogStore(dataSource, SqlDialect.POSTGRES, () -> { });
    this.keys = new JdbcPublicKeyStore(dataSource);
  }

  /**
   * Connects and migrates.
   *
   * @throws StoreException when the database cannot be reached or migrated; the message names the URL
   */
  public static PostgresDatabase open(DatabaseSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("portal-db");
    config.setJdbcUrl(settings.jdbcUrl());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(settings.maxConnections());
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    // Lets the driver send a batch of INSERTs as multi-row statements: a bulk ingest's store phase.
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(config);
    } catch (HikariPool.PoolInitializationException e) {
      throw new StoreException("Could not connect to the database " + settings.jdbcUrl().replaceFirst("\\?.*", "")
          + ": " + rootMessage(e), e);
    }
    try {
      return new PostgresDatabase(dataSource, settings);
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  /** Locations, entities, processing errors and per-source state. */
  public CatalogStore catalogStore() {
    return catalog;
  }

  /** The public signing keys of every replica. */
  public PublicKeyStore publicKeys() {
    return keys;
  }

  /** OIDC sign-ins between start and callback, shared by every replica. */
  public PendingSignIns pendingSignIns() {
    return new JdbcPendingSignIns(dataSource);
  }

  /** The scaffolder task store, migrated; workspaces under {@code dataDir}. */
  public TaskStore taskStore(Path dataDir) {
    return new PostgresTaskStore(dataSource, dataDir, EVENT_POLL);
  }

  /** LISTEN/NOTIFY between the replicas; started by the caller once its handlers are added. */
  public PostgresNotifications notifications() {
    return notifications;
  }

  /** The catalog lease as seen by {@code holder} (a name unique to this process). */
  public CatalogLease catalogLease(String holder, Duration duration) {
    return new CatalogLease(dataSource, holder, duration);
  }

  HikariDataSource dataSource() {
    return dataSource;
  }

  /** The JDBC URL, without credentials or query parameters, for logs. */
  public String displayUrl() {
    return url.replaceFirst("\\?.*", "");
  }

  @Override
  public void close() {
    notifications.close();
    dataSource.close();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
