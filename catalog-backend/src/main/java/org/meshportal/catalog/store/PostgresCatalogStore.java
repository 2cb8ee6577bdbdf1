package org.meshportal.catalog.store;

/** Opens the catalog store alone on PostgreSQL (its own pool); the server uses {@link PostgresDatabase}. */
public final class PostgresCatalogStore {
  private PostgresCatalogStore() {}

  /**
   * Connects, applies pending migrations (serialised across processes by an advisory lock, so
   * replicas that start together migrate once) and returns the store, which closes the pool.
   *
   * @throws StoreException when the database cannot be reached or migrated; the message names the URL
   */
  public static CatalogStore open(DatabaseSettings settings) {
    PostgresDatabase database = PostgresDatabase.open(settings);
    try {
      return new JdbcCatalogStore(database.dataSource(), SqlDialect.POSTGRES, database::close);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }
}
