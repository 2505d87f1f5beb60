package org.civicbot.knowledge.testing;

import io.vertx.core.Vertx;
import org.civicbot.knowledge.db.Database;
import org.civicbot.knowledge.db.EmbeddedPostgresServer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL per test JVM (the same embedded server the product runs), started on first use under
 * {@code target/test-postgres} and stopped when the JVM exits. Tests keep apart by using their own tenants, or their
 * own empty database from {@link #freshDatabaseUrl()}.
 */
public final class TestDatabase {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgresServer server;

  private TestDatabase() {
  }

  public static synchronized EmbeddedPostgresServer server() {
    if (server == null) {
      server = EmbeddedPostgresServer.start(Path.of("target", "test-postgres").toAbsolutePath());
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-postgres-stop"));
    }
    return server;
  }

  /** The shared test database, migrated. */
  public static Database open(Vertx vertx) {
    return Database.open(vertx, Optional.of(server().url()), Path.of("target"), 4);
  }

  /** A new, empty database on the test server, as a {@code postgresql://} URL. */
  public static String freshDatabaseUrl() {
    String name = "fresh_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection conn = DriverManager.getConnection(server().jdbcUrl());
         Statement statement = conn.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create test database " + name, e);
    }
    return server().url(name);
  }

  /** A tenant id no other test uses. */
  public static String uniqueTenant(String prefix) {
    return prefix + "-" + Long.toString(System.nanoTime(), 36);
  }
}
