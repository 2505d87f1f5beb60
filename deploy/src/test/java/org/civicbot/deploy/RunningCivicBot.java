package org.civicbot.deploy;

import io.vertx.core.Vertx;
import org.civicbot.knowledge.testing.TestDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import static org.civicbot.knowledge.testing.Await.await;

/**
 * A whole CivicBot (HTTP server, engine, sample knowledge base) on the test PostgreSQL, as the README's command
 * starts it. {@link #shared()} is started once per test JVM; {@link #start(Map)} starts one with its own settings.
 */
final class RunningCivicBot implements AutoCloseable {
  static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  private static RunningCivicBot shared;

  final Vertx vertx;
  final CivicBot bot;
  final HttpTestClient http;
  /** The environment it was started with (its database URL and data folder), for commands run beside it. */
  final Map<String, String> env;

  private RunningCivicBot(Map<String, String> extra, Clock clock) {
    try {
      Map<String, String> env = new HashMap<>(Map.of(
          "CIVICBOT_PORT", "0",
          "CIVICBOT_DATA_DIR", Files.createTempDirectory(Files.createDirectories(Path.of("target")), "civicbot-test")
              .toString(),
          "CIVICBOT_DATABASE_URL", TestDatabase.freshDatabaseUrl(),
          "CIVICBOT_ADMIN_TOKEN", ADMIN_TOKEN,
          "CIVICBOT_RATE_LIMIT_CLIENT", "100000",
          "CIVICBOT_RATE_LIMIT_CONVERSATION", "100000"));
      env.putAll(extra);
      this.env = Map.copyOf(env);
      vertx = Vertx.vertx();
      bot = await(CivicBot.start(Config.fromEnvironment(env), vertx, clock));
      await(bot.whenReady(), 300);
      http = new HttpTestClient(bot.port());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static synchronized RunningCivicBot shared() {
    if (shared == null) {
      // people are always in, whatever the time of day the tests run at
      shared = new RunningCivicBot(Map.of("CIVICBOT_PHONE_HOURS", "always"), Clock.systemUTC());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> await(shared.bot.stop()), "test-civicbot-stop"));
    }
    return shared;
  }

  static RunningCivicBot start(Map<String, String> settings) {
    return new RunningCivicBot(settings, Clock.systemUTC());
  }

  /** One with its own settings whose time of day (opening hours) comes from {@code clock}. */
  static RunningCivicBot start(Map<String, String> settings, Clock clock) {
    return new RunningCivicBot(settings, clock);
  }

  int port() {
    return bot.port();
  }

  @Override
  public void close() {
    if (this == shared) {
      return;
    }
    await(bot.stop());
    await(vertx.close());
  }
}
