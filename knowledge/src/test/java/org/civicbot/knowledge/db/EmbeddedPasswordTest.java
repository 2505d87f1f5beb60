package org.civicbot.knowledge.db;

import org.civicbot.knowledge.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded PostgreSQL takes no connection without its password, which only the owner can read. */
class EmbeddedPasswordTest {

  @Test
  void should_refuse_a_connection_without_the_password_and_accept_one_with_it() throws Exception {
    EmbeddedPostgresServer server = TestDatabase.server();
    String bare = "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + EmbeddedPostgresServer.DATABASE + "?user="
        + EmbeddedPostgresServer.USER;
    SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(bare).close());
    assertTrue(refused.getMessage().toLowerCase().contains("password"), refused.getMessage());
    assertThrows(SQLException.class, () -> DriverManager.getConnection(bare + "&password=guess").close());
    try (Connection conn = DriverManager.getConnection(server.jdbcUrl())) {
      assertTrue(conn.isValid(5));
    }
    Path file = Path.of("target", "test-postgres", "password");
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(file));
  }
}
