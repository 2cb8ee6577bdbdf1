package org.meshportal.catalog.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.meshportal.catalog.auth.PublicKeyStore;

/**
 * The server's PostgreSQL database ({@code backend.database.client: pg}): one HikariCP pool, the
 * schema migrated once however many replicas start together, and the stores that live in it.
 * Closing it, or its catalog store, closes the pool.
 */
public final class PostgresDatabase implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final CatalogStore catalog;
  private final PublicKeyStore keys;

  private PostgresDatabase(HikariDataSource dataSource) {
    this.dataSource = dataSource;
    // The catalog store applies the migrations (under an advisory lock) before anything else runs.
    this.catalog = new JdbcCatalogStore(dataSource, SqlDialect.POSTGRES, dataSource::close);
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
      return new PostgresDatabase(dataSource);
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

  @Override
  public void close() {
    catalog.close();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
