package org.meshportal.catalog.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The lease that makes one replica of a shared store the catalog's leader (the one that runs Git
 * sync and scheduled processing). It is a row, judged by the database's clock: a holder renews it
 * before it expires; anyone may take an expired one, which starts a new term ({@code epoch}).
 * Leader-only commits carry the term as a {@link WriteFence}, so a holder that stalled past its
 * lease cannot commit afterwards.
 */
public final class CatalogLease {
  static final String CATALOG = "catalog";

  private final DataSource dataSource;
  private final String holder;
  private final Duration duration;

  CatalogLease(DataSource dataSource, String holder, Duration duration) {
    this.dataSource = dataSource;
    this.holder = holder;
    this.duration = duration;
  }

  public String holder() {
    return holder;
  }

  public Duration duration() {
    return duration;
  }

  /**
   * Renews the lease if this holder has it, or takes it if it is free or expired.
   *
   * @return the term held now; empty when another holder has an unexpired lease
   * @throws StoreException when the database cannot be reached (the caller must then assume it lost the lease)
   */
  public OptionalLong acquireOrRenew() {
    // A renewal within the term keeps the epoch; taking the lease (or taking back an expired one)
    // starts a new term, which fences off anything still running under the old one.
    String sql = "UPDATE catalog_lease SET"
        + " epoch = CASE WHEN holder = ? AND expires_at > CURRENT_TIMESTAMP THEN epoch ELSE epoch + 1 END,"
        + " holder = ?, expires_at = CURRENT_TIMESTAMP + ? * INTERVAL '1 millisecond'"
        + " WHERE name = ? AND (holder IS NULL OR holder = ? OR expires_at IS NULL OR expires_at <= CURRENT_TIMESTAMP)"
        + " RETURNING epoch";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, holder);
      ps.setString(2, holder);
      ps.setLong(3, duration.toMillis());
      ps.setString(4, CATALOG);
      ps.setString(5, holder);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("Could not renew the catalog lease", e);
    }
  }

  /** Gives the lease up at once (a clean shutdown), so another replica need not wait for it to expire. */
  public void release(long epoch) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "UPDATE catalog_lease SET holder = NULL, expires_at = NULL WHERE name = ? AND holder = ? AND epoch = ?")) {
      ps.setString(1, CATALOG);
      ps.setString(2, holder);
      ps.setLong(3, epoch);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("Could not release the catalog lease", e);
    }
  }

  /** Who holds an unexpired lease now, or null. */
  public String currentHolder() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT holder FROM catalog_lease WHERE name = ? AND expires_at > CURRENT_TIMESTAMP")) {
      ps.setString(1, CATALOG);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    } catch (SQLException e) {
      throw new StoreException("Could not read the catalog lease", e);
    }
  }
}
