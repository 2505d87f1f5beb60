package org.civicbot.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.civicbot.bot.InboundMessage;
import org.civicbot.knowledge.Language;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.civicbot.knowledge.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin transcript API over real HTTP. */
class AdminApiTest {
  private static RunningCivicBot civicbot;
  private static HttpTestClient http;

  @BeforeAll
  static void running() {
    civicbot = RunningCivicBot.shared();
    http = civicbot.http;
  }

  private static HttpTestClient.Response admin(String path, String token) {
    return http.get(path, token == null ? Map.of() : Map.of("authorization", "Bearer " + token));
  }

  @Test
  void should_refuse_a_missing_or_wrong_token_with_401() {
    String id = ChatApiTest.startConversation(http, "en");
    for (String token : new String[] {null, "wrong", RunningCivicBot.ADMIN_TOKEN + "x"}) {
      HttpTestClient.Response response = admin("/api/v1/admin/conversations/" + id, token);
      assertEquals(401, response.status(), response.body());
      assertEquals("unauthorized", response.json().getString("error"));
    }
    assertEquals(401, admin("/api/v1/admin/conversations?channel=web&externalId=x", null).status());
  }

  @Test
  void should_return_each_turn_with_outcome_articles_and_decision_trace() {
    String id = ChatApiTest.startConversation(http, "en");
    http.post("/api/v1/conversations/" + id + "/messages", new JsonObject().put("text", "when is my bin emptied"));
    http.post("/api/v1/conversations/" + id + "/messages", new JsonObject().put("text", "talk to a person"));
    JsonObject transcript = admin("/api/v1/admin/conversations/" + id, RunningCivicBot.ADMIN_TOKEN).json();
    assertEquals("web", transcript.getString("channel"));
    JsonArray turns = transcript.getJsonArray("turns");
    JsonObject answered = turns.getJsonObject(1);
    assertEquals("when is my bin emptied", answered.getString("text"));
    assertEquals("answered", answered.getString("outcome"));
    String slug = answered.getJsonArray("articles").getString(0);
    JsonObject trace = answered.getJsonObject("trace");
    assertEquals(slug, trace.getJsonObject("article").getString("slug"));
    assertTrue(trace.getJsonObject("article").getInteger("revision") >= 1);
    JsonObject hit = trace.getJsonObject("retrieval").getJsonArray("hits").getJsonObject(0);
    assertTrue(hit.getJsonObject("signals").containsKey("coverage"), hit.encode());
    assertTrue(trace.getJsonObject("policy").getDouble("answerThreshold") > 0);
    assertEquals("handoff", turns.getJsonObject(2).getString("outcome"));
    assertEquals("requested", turns.getJsonObject(2).getString("handoff"));
  }

  @Test
  void should_find_a_conversation_by_channel_and_external_id() {
    String callSid = "CA" + UUID.randomUUID().toString().replace("-", "");
    String tenant = civicbot.bot.knowledgeBase().openIndexes().get(0).split("/")[0];
    UUID id = await(civicbot.bot.engine().start(tenant, "phone", Optional.of(callSid), Optional.of(Language.EN)))
        .conversation().id();
    await(civicbot.bot.engine().handle(InboundMessage.of(tenant, id, "phone", "recycling centre opening hours")));
    JsonObject found = admin("/api/v1/admin/conversations?channel=phone&externalId=" + callSid,
        RunningCivicBot.ADMIN_TOKEN).json();
    JsonArray conversations = found.getJsonArray("conversations");
    assertEquals(1, conversations.size());
    assertEquals(id.toString(), conversations.getJsonObject(0).getString("id"));
    assertEquals("recycling centre opening hours",
        conversations.getJsonObject(0).getJsonArray("turns").getJsonObject(1).getString("text"));
    assertEquals(0, admin("/api/v1/admin/conversations?channel=phone&externalId=CAnone",
        RunningCivicBot.ADMIN_TOKEN).json().getJsonArray("conversations").size());
    assertEquals(400, admin("/api/v1/admin/conversations?channel=phone", RunningCivicBot.ADMIN_TOKEN).status());
  }
}
