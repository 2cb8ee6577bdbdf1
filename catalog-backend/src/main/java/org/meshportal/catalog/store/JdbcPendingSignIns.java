package org.meshportal.catalog.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.meshportal.catalog.auth.PendingSignIns;

/**
 * {@link PendingSignIns} in the {@code auth_pending_sign_ins} table, embedded H2 or PostgreSQL
 * alike. Taking an entry is a delete that must remove exactly one row, so when two replicas race
 * for one callback only one of them gets it.
 */
final class JdbcPendingSignIns implements PendingSignIns {
  private final DataSource dataSource;

  JdbcPendingSignIns(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void put(String id, String body, Instant expiresAt, Instant now) {
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement prune = c.prepareStatement("DELETE FROM auth_pending_sign_ins WHERE expires_at < ?")) {
        prune.setLong(1, now.toEpochMilli());
        prune.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO auth_pending_sign_ins (id, body, expires_at) VALUES (?, ?, ?)")) {
        ps.setString(1, id);
        ps.setString(2, body);
        ps.setLong(3, expiresAt.toEpochMilli());
        ps.executeUpdate();
      }
    } catch (SQLException e) {
      throw new StoreException("Could not store a pending sign-in", e);
    }
  }

  @Override
  public Optional<String> take(String id, Instant now) {
    try (Connection c = dataSource.getConnection()) {
      String body;
      long expiresAt;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT body, expires_at FROM auth_pending_sign_ins WHERE id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          body = rs.getString(1);
          expiresAt = rs.getLong(2);
        }
      }
      try (PreparedStatement del = c.prepareStatement("DELETE FROM auth_pending_sign_ins WHERE id = ?")) {
        del.setString(1, id);
        if (del.executeUpdate() != 1) {
          return Optional.empty(); // another replica took it first
        }
      }
      return expiresAt >= now.toEpochMilli() ? Optional.of(body) : Optional.empty();
    } catch (SQLException e) {
      throw new StoreException("Could not read a pending sign-in", e);
    }
  }
}
