package org.meshportal.catalog.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.meshportal.catalog.auth.PublicKeyStore;

/** {@link PublicKeyStore} in the {@code signing_keys} table; only public keys are ever written. */
final class JdbcPublicKeyStore implements PublicKeyStore {
  private final DataSource dataSource;

  JdbcPublicKeyStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void publish(PublicKey key) {
    if (key.jwkJson().contains("\"d\"")) {
      throw new IllegalArgumentException("refusing to store a private key");
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "INSERT INTO signing_keys (kid, public_jwk, created_at) VALUES (?, ?, ?)")) {
      ps.setString(1, key.kid());
      ps.setString(2, key.jwkJson());
      ps.setLong(3, key.createdAt().toEpochMilli());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("Could not publish a signing key", e);
    }
  }

  @Override
  public java.util.Optional<PublicKey> byKid(String kid) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT kid, public_jwk, created_at FROM signing_keys WHERE kid = ?")) {
      ps.setString(1, kid);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? java.util.Optional.of(new PublicKey(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))))
            : java.util.Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("Could not read a signing key", e);
    }
  }

  @Override
  public List<PublicKey> since(Instant since) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT kid, public_jwk, created_at FROM signing_keys WHERE created_at >= ? ORDER BY created_at DESC")) {
      ps.setLong(1, since.toEpochMilli());
      List<PublicKey> keys = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          keys.add(new PublicKey(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
        }
      }
      return keys;
    } catch (SQLException e) {
      throw new StoreException("Could not read the signing keys", e);
    }
  }

  @Override
  public void prune(Instant before) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM signing_keys WHERE created_at < ?")) {
      ps.setLong(1, before.toEpochMilli());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("Could not prune the signing keys", e);
    }
  }
}
