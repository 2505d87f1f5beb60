package org.civicbot.deploy;

import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** A CivicBot a benchmark starts for itself: a temporary data directory, no rate limits, plus {@code settings}. */
final class BenchServer implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final CivicBot bot;
  /** The data directory made for this run, deleted on close; empty when the caller gave one. */
  private final Optional<Path> ownDataDir;

  BenchServer(Map<String, String> settings) throws IOException {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("CIVICBOT_PORT", "0");
    ownDataDir = env.containsKey("CIVICBOT_DATA_DIR") || settings.containsKey("CIVICBOT_DATA_DIR") ? Optional.empty()
        : Optional.of(Files.createTempDirectory("civicbot-bench"));
    ownDataDir.ifPresent(dir -> env.put("CIVICBOT_DATA_DIR", dir.toString()));
    env.put("CIVICBOT_RATE_LIMIT_CLIENT", "1000000");
    env.put("CIVICBOT_RATE_LIMIT_CONVERSATION", "1000000");
    env.putAll(settings);
    bot = CivicBot.start(Config.fromEnvironment(env), vertx).toCompletionStage().toCompletableFuture().join();
    bot.whenReady().toCompletionStage().toCompletableFuture().join();
  }

  String url() {
    return "http://127.0.0.1:" + bot.port();
  }

  @Override
  public void close() {
    bot.stop().toCompletionStage().toCompletableFuture().join();
    vertx.close();
    ownDataDir.ifPresent(BenchServer::delete);
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("Could not delete " + dir + ": " + e.getMessage());
    }
  }
}
