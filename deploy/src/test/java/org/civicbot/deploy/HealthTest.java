package org.civicbot.deploy;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.civicbot.knowledge.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.civicbot.knowledge.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@ExtendWith(VertxExtension.class)
class HealthTest {
  @TempDir
  Path dataDir;

  @Test
  void should_answer_503_until_database_and_index_are_ready_then_200(Vertx vertx) {
    Config config = Config.fromEnvironment(Map.of("CIVICBOT_PORT", "0",
        "CIVICBOT_DATA_DIR", dataDir.toString(),
        "CIVICBOT_DATABASE_URL", TestDatabase.freshDatabaseUrl()));
    CivicBot bot = await(CivicBot.start(config, vertx));
    HttpTestClient http = new HttpTestClient(bot.port());
    try {
      HttpTestClient.Response before = http.get("/health");
      assertEquals(503, before.status());
      assertEquals("down", before.json().getString("knowledge"));

      await(bot.whenReady(), 300);

      HttpTestClient.Response after = http.get("/health");
      assertEquals(200, after.status(), after.body());
      assertEquals("up", after.json().getString("status"));
      assertEquals("up", after.json().getString("database"));
      assertEquals("up", after.json().getString("knowledge"));
    } finally {
      await(bot.stop());
    }
  }

  @Test
  void should_stay_503_when_the_database_cannot_be_reached(Vertx vertx) {
    Config config = Config.fromEnvironment(Map.of("CIVICBOT_PORT", "0",
        "CIVICBOT_DATA_DIR", dataDir.toString(),
        "CIVICBOT_DATABASE_URL", "postgresql://civicbot@127.0.0.1:1/none"));
    CivicBot bot = await(CivicBot.start(config, vertx));
    HttpTestClient http = new HttpTestClient(bot.port());
    try {
      assertThrows(RuntimeException.class, () -> await(bot.whenReady()));

      HttpTestClient.Response health = http.get("/health");
      assertEquals(503, health.status());
      assertEquals("down", health.json().getString("database"));
    } finally {
      await(bot.stop());
    }
  }

  @Test
  void should_answer_unknown_paths_with_a_json_404(Vertx vertx) {
    Config config = Config.fromEnvironment(Map.of("CIVICBOT_PORT", "0", "CIVICBOT_DATA_DIR", dataDir.toString(),
        "CIVICBOT_DATABASE_URL", "postgresql://civicbot@127.0.0.1:1/none"));
    CivicBot bot = await(CivicBot.start(config, vertx));
    try {
      HttpTestClient.Response response = new HttpTestClient(bot.port()).get("/no/such/thing");

      assertEquals(404, response.status());
      assertEquals("not_found", response.json().getString("error"));
    } finally {
      await(bot.stop());
    }
  }
}
