package org.civicbot.knowledge.db;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The application's PostgreSQL: the embedded server under the data directory, or the external one named by a
 * {@code postgresql://user:password@host:port/db} URL. Opening it runs the migrations; the pool is what the stores use.
 */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  /** The longest a statement of the pool may run (PostgreSQL's {@code statement_timeout}). */
  static final String STATEMENT_TIMEOUT = "15s";
  /** The longest a transaction of the pool may sit idle holding its locks. */
  static final String IDLE_IN_TRANSACTION_TIMEOUT = "30s";

  private final Optional<EmbeddedPostgresServer> embedded;
  private final PgConnectOptions connectOptions;
  private final Pool pool;

  private Database(Optional<EmbeddedPostgresServer> embedded, PgConnectOptions connectOptions, Pool pool) {
    this.embedded = embedded;
    this.connectOptions = connectOptions;
    this.pool = pool;
  }

  /**
   * Blocking: starts the embedded server when {@code externalUrl} is empty, migrates the schema and opens a pool.
   * Call it from a worker thread, never from an event loop.
   */
  public static Database open(Vertx vertx, Optional<String> externalUrl, Path dataDir, int poolSize) {
    Optional<EmbeddedPostgresServer> embedded = externalUrl.isEmpty()
        ? Optional.of(EmbeddedPostgresServer.start(dataDir.resolve("postgres")))
        : Optional.empty();
    try {
      String url = externalUrl.orElseGet(() -> embedded.orElseThrow().url());
      PgConnectOptions options = PgConnectOptions.fromUri(url);
      migrate(options);
      // no statement and no open transaction may hold a connection (and its locks) for long
      PgConnectOptions pooled = new PgConnectOptions(options)
          .addProperty("statement_timeout", STATEMENT_TIMEOUT)
          .addProperty("idle_in_transaction_session_timeout", IDLE_IN_TRANSACTION_TIMEOUT);
      Pool pool = PgBuilder.pool()
          // connections spread over the event loops, so database callbacks do not all queue on one
          .with(new PoolOptions().setMaxSize(poolSize).setConnectionTimeout(10)
              .setEventLoopSize(Math.max(1, Runtime.getRuntime().availableProcessors()))
              .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS))
          .connectingTo(pooled)
          .using(vertx)
          .build();
      return new Database(embedded, options, pool);
    } catch (RuntimeException e) {
      embedded.ifPresent(EmbeddedPostgresServer::close);
      throw e;
    }
  }

  /** Checks that a {@code CIVICBOT_DATABASE_URL} value can be parsed; the message names what is wrong. */
  public static void validateUrl(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URL: '" + url + "'", e);
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new IllegalArgumentException("must start with postgresql:// but was '" + url + "'");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("has no host: '" + url + "'");
    }
  }

  private static void migrate(PgConnectOptions options) {
    String jdbc = "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
    var result = Flyway.configure()
        .dataSource(jdbc, options.getUser(), options.getPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    LOG.info("Database schema at version {} ({} migrations applied now)", result.targetSchemaVersion,
        result.migrationsExecuted);
  }

  public Pool pool() {
    return pool;
  }

  public PgConnectOptions connectOptions() {
    return connectOptions;
  }

  @Override
  public void close() {
    pool.close().toCompletionStage().toCompletableFuture().join();
    embedded.ifPresent(EmbeddedPostgresServer::close);
  }
}
