package org.meshportal.catalog.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;

/** Opens the catalog store on PostgreSQL through a HikariCP pool. */
public final class PostgresCatalogStore {
  private PostgresCatalogStore() {}

  /**
   * Connects, applies pending migrations (serialised across processes by an advisory lock, so
   * replicas that start together migrate once) and returns the store.
   *
   * @throws StoreException when the database cannot be reached or migrated; the message names the URL
   */
  public static CatalogStore open(DatabaseSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("catalog-store");
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
      throw new StoreException("Could not connect to the catalog database " + settings.jdbcUrl() + ": "
          + rootMessage(e), e);
    }
    try {
      return new JdbcCatalogStore(dataSource, SqlDialect.POSTGRES, dataSource::close);
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
