package org.meshportal.catalog.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.meshportal.catalog.store.DatabaseSettings;

class PostgresConnectionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void urls_in_backstages_form_become_jdbc_settings() {
    DatabaseSettings s = PostgresConnection.fromUrl("postgresql://portal:p%40ss:w@db.internal:6432/catalog?sslmode=require");
    assertEquals("jdbc:postgresql://db.internal:6432/catalog?sslmode=require", s.jdbcUrl());
    assertEquals("portal", s.user());
    assertEquals("p@ss:w", s.password());
    DatabaseSettings bare = PostgresConnection.fromUrl("postgres://db");
    assertEquals("jdbc:postgresql://db/postgres", bare.jdbcUrl());
    assertNull(bare.user());
    assertFalse(s.toString().contains("p@ss"), s.toString());
  }

  @Test
  void objects_in_backstages_form_become_jdbc_settings() throws Exception {
    DatabaseSettings s = PostgresConnection.fromObject(JSON.readTree(
        "{\"host\":\"db\",\"port\":5433,\"user\":\"u\",\"password\":\"pw\",\"database\":\"portal\",\"ssl\":true}"));
    assertEquals("jdbc:postgresql://db:5433/portal?sslmode=verify-full", s.jdbcUrl());
    assertEquals("pw", s.password());
    assertEquals("jdbc:postgresql://db/portal?sslmode=require", PostgresConnection.fromObject(JSON.readTree(
        "{\"host\":\"db\",\"database\":\"portal\",\"ssl\":{\"rejectUnauthorized\":false}}")).jdbcUrl());
  }

  @Test
  void bad_connections_are_refused_without_echoing_the_password() throws Exception {
    for (String bad : new String[] {"mysql://u:secretpw@db/x", "postgresql:///nohost", "postgresql://u:secretpw@db/x;drop"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PostgresConnection.fromUrl(bad));
      assertFalse(e.getMessage().contains("secretpw"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> PostgresConnection.fromObject(JSON.readTree("{\"port\":5432}")));
    assertThrows(IllegalArgumentException.class,
        () -> PostgresConnection.fromObject(JSON.readTree("{\"host\":\"db\",\"port\":70000}")));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> PostgresConnection.fromObject(
        JSON.readTree("{\"host\":\"db\",\"ssl\":\"yes\"}"))).getMessage().contains("ssl"));
  }
}
