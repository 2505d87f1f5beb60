package org.civicbot.deploy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rate limits per conversation and per client, on a CivicBot with small limits. */
class RateLimitTest {

  @Test
  void should_answer_429_with_retry_after_per_conversation_then_per_client() {
    try (RunningCivicBot civicbot = RunningCivicBot.start(Map.of(
        "CIVICBOT_RATE_LIMIT_CONVERSATION", "3", "CIVICBOT_RATE_LIMIT_CLIENT", "8"))) {
      HttpTestClient http = civicbot.http;
      String id = ChatApiTest.startConversation(http, "en");                               // client: 1
      for (int i = 0; i < 3; i++) {                                                        // client: 2..4
        assertEquals(200, http.post("/api/v1/conversations/" + id + "/messages",
            new JsonObject().put("text", "parking permit " + i)).status());
      }
      HttpTestClient.Response limited = http.post("/api/v1/conversations/" + id + "/messages",
          new JsonObject().put("text", "one more"));                                       // client: 5
      assertEquals(429, limited.status(), limited.body());
      assertEquals("too_many_requests", limited.json().getString("error"));
      assertNotNull(limited.header("retry-after"));
      assertTrue(Integer.parseInt(limited.header("retry-after")) >= 1);

      String other = ChatApiTest.startConversation(http, "en");                            // client: 6
      assertEquals(200, http.post("/api/v1/conversations/" + other + "/messages",
          new JsonObject().put("text", "bulky waste")).status(), "another conversation has its own budget");
      http.post("/api/v1/conversations/" + other + "/messages", new JsonObject().put("text", "library")); // 8
      HttpTestClient.Response client = http.post("/api/v1/conversations", new JsonObject().put("lang", "en"));
      assertEquals(429, client.status(), "the client's budget of 8 a minute is spent");
      assertNotNull(client.header("retry-after"));
    }
  }
}
