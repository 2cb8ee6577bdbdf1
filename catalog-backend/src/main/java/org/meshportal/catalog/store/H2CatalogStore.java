package org.meshportal.catalog.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.jdbcx.JdbcConnectionPool;
import org.meshportal.catalog.auth.PendingSignIns;

/** Opens the embedded store: an H2 file database under the data directory. */
public final class H2CatalogStore {
  private H2CatalogStore() {}

  /** Opens (creating when needed) {@code <dataDir>/catalog.mv.db}. */
  public static CatalogStore open(Path dataDir) {
    return openEmbedded(dataDir).catalog();
  }

  /**
   * The stores of the embedded database. Closing {@code catalog} closes the database; the other
   * stores must not be used after that.
   */
  public record Embedded(CatalogStore catalog, PendingSignIns pendingSignIns) {}

  /** Like {@link #open}, with the other stores that live in the same database. */
  public static Embedded openEmbedded(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create the data directory " + dataDir, e);
    }
    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("catalog") + ";DB_CLOSE_ON_EXIT=FALSE";
    JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
    pool.setMaxConnections(8);
    return new Embedded(new JdbcCatalogStore(pool, SqlDialect.H2, pool::dispose), new JdbcPendingSignIns(pool));
  }
}
