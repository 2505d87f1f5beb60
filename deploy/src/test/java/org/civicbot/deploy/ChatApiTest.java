package org.civicbot.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.civicbot.knowledge.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chat API of DESIGN over real HTTP and WebSocket connections to a running CivicBot. */
class ChatApiTest {
  private static RunningCivicBot civicbot;
  private static HttpTestClient http;

  @BeforeAll
  static void running() {
    civicbot = RunningCivicBot.shared();
    http = civicbot.http;
  }

  static String startConversation(HttpTestClient http, String lang) {
    HttpTestClient.Response created = http.post("/api/v1/conversations",
        new JsonObject().put("channel", "web").put("lang", lang));
    assertEquals(201, created.status(), created.body());
    return created.json().getString("id");
  }

  @Test
  void should_start_a_conversation_with_the_automated_assistant_greeting() {
    HttpTestClient.Response created = http.post("/api/v1/conversations",
        new JsonObject().put("channel", "web").put("lang", "da"));
    assertEquals(201, created.status(), created.body());
    JsonObject body = created.json();
    assertNotNull(body.getString("id"));
    assertEquals("smalltalk", body.getString("outcome"));
    String greeting = body.getJsonArray("replies").getJsonObject(0).getString("text");
    assertTrue(greeting.contains("automatiske assistent"), greeting);
    assertEquals("/api/v1/conversations/" + body.getString("id"), created.header("location"));
  }

  @Test
  void should_answer_with_sources_sanitized_html_and_the_engine_time() {
    String id = startConversation(http, "en");
    HttpTestClient.Response reply = http.post("/api/v1/conversations/" + id + "/messages",
        new JsonObject().put("text", "When is my bin emptied?"));
    assertEquals(200, reply.status(), reply.body());
    JsonObject body = reply.json();
    assertEquals("answered", body.getString("outcome"));
    assertEquals("en", body.getString("lang"));
    JsonObject first = body.getJsonArray("replies").getJsonObject(0);
    JsonObject source = first.getJsonArray("sources").getJsonObject(0);
    assertEquals(body.getJsonArray("articles").getJsonObject(0).getString("slug"), source.getString("slug"));
    assertTrue(source.getString("url").startsWith("https://"));
    assertTrue(first.getString("html").startsWith("<"), first.getString("html"));
    assertTrue(first.getBoolean("askFeedback"));
    assertTrue(reply.header("server-timing").startsWith("engine;dur="), reply.header("server-timing"));
  }

  @Test
  void should_read_back_the_transcript_for_a_reloaded_page() {
    String id = startConversation(http, "en");
    http.post("/api/v1/conversations/" + id + "/messages", new JsonObject().put("text", "recycling centre hours"));
    JsonArray messages = http.get("/api/v1/conversations/" + id).json().getJsonArray("messages");
    assertEquals(3, messages.size(), messages.encodePrettily());
    assertEquals("bot", messages.getJsonObject(0).getString("from"));
    assertEquals("recycling centre hours", messages.getJsonObject(1).getString("text"));
    assertEquals("answered", messages.getJsonObject(2).getString("outcome"));
  }

  @Test
  void should_record_feedback() {
    String id = startConversation(http, "en");
    http.post("/api/v1/conversations/" + id + "/messages", new JsonObject().put("text", "bulky waste collection"));
    HttpTestClient.Response feedback = http.post("/api/v1/conversations/" + id + "/feedback",
        new JsonObject().put("resolved", true));
    assertEquals(200, feedback.status(), feedback.body());
    JsonObject transcript = admin("/api/v1/admin/conversations/" + id).json();
    assertTrue(transcript.getJsonArray("events").stream().map(JsonObject.class::cast)
        .anyMatch(e -> e.getString("type").equals("feedback") && e.getJsonObject("payload").getBoolean("resolved")));
  }

  @Test
  void should_answer_404_for_an_unknown_conversation() {
    for (String path : new String[] {"/api/v1/conversations/5f0c6a1e-0000-4000-8000-000000000000/messages",
        "/api/v1/conversations/not-a-uuid/messages"}) {
      HttpTestClient.Response response = http.post(path, new JsonObject().put("text", "hello"));
      assertEquals(404, response.status());
      assertEquals("not_found", response.json().getString("error"));
      assertFalse(response.json().getString("message").isBlank());
    }
  }

  @Test
  void should_refuse_a_text_over_2000_characters_with_413_and_store_nothing() {
    String id = startConversation(http, "en");
    HttpTestClient.Response response = http.post("/api/v1/conversations/" + id + "/messages",
        new JsonObject().put("text", "a".repeat(2001)));
    assertEquals(413, response.status());
    assertTrue(response.json().getString("message").contains("2000"), response.body());
    assertEquals(1, http.get("/api/v1/conversations/" + id).json().getJsonArray("messages").size(),
        "only the greeting is stored");
    assertEquals(200, http.post("/api/v1/conversations/" + id + "/messages",
        new JsonObject().put("text", "a".repeat(2000))).status(), "2000 characters are fine");
  }

  @Test
  void should_refuse_malformed_input_with_400() {
    String id = startConversation(http, "en");
    String messages = "/api/v1/conversations/" + id + "/messages";
    assertError(400, http.post(messages, "{\"text\": \"unterminated"));
    assertError(400, http.post(messages, "[1, 2, 3]"));
    assertError(400, http.post(messages, new JsonObject().put("text", 42)));
    assertError(400, http.post(messages, new JsonObject().put("text", "   ")));
    assertError(400, http.post("/api/v1/conversations", new JsonObject().put("lang", "de")));
    assertError(400, http.post("/api/v1/conversations", new JsonObject().put("channel", "phone")));
    assertError(400, http.post("/api/v1/conversations/" + id + "/feedback", new JsonObject().put("resolved", "yes")));
    assertError(415, http.post(messages, "text=hello", Map.of("content-type", "application/x-www-form-urlencoded")));
    assertError(413, http.post(messages, "{\"text\":\"" + "x".repeat(70_000) + "\"}"));
    assertError(404, http.post("/api/v1/conversations", new JsonObject().put("tenant", "no-such-town")));
  }

  @Test
  void should_give_the_citizen_the_conversation_as_stored_in_a_text_file() {
    String id = startConversation(http, "en");
    http.post("/api/v1/conversations/" + id + "/messages",
        new JsonObject().put("text", "My CPR is 010190-1234, when is my bin emptied?"));
    HttpTestClient.Response file = http.get("/api/v1/conversations/" + id + "/transcript.txt?lang=da");
    assertEquals(200, file.status(), file.body());
    assertTrue(file.header("content-type").startsWith("text/plain"), file.header("content-type"));
    assertTrue(file.header("content-disposition").startsWith("attachment"), file.header("content-disposition"));
    assertTrue(file.body().startsWith("Chat med CivicBot, "), file.body());
    assertTrue(file.body().contains("] Du:\nMy CPR is [cpr], when is my bin emptied?"), file.body());
    assertTrue(file.body().contains("] CivicBot:\n"), "the bot's replies too");
    assertFalse(file.body().contains("010190"), "as stored: the CPR number is not in it");
    assertEquals(400, http.get("/api/v1/conversations/" + id + "/transcript.txt?lang=de").status());
    assertEquals(404, http.get("/api/v1/conversations/5f0c6a1e-0000-4000-8000-000000000000/transcript.txt")
        .status());
  }

  @Test
  void should_push_a_persons_reply_over_the_websocket() throws Exception {
    String id = startConversation(http, "en");
    assertEquals("handoff", http.post("/api/v1/conversations/" + id + "/messages",
        new JsonObject().put("text", "I want to talk to a human")).json().getString("outcome"));
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    WebSocket socket = subscribed(id, received);
    try {
      HttpTestClient.Response sent = http.post("/api/v1/admin/conversations/" + id + "/messages",
          new JsonObject().put("text", "Hi, this is Maja from Borgerservice <script>alert(1)</script>")
              .put("agent", "Maja").encode(),
          Map.of("content-type", "application/json", "authorization", "Bearer " + RunningCivicBot.ADMIN_TOKEN));
      assertEquals(202, sent.status(), sent.body());
      // the person takes the conversation as they write: the citizen is told who answers, then gets the message
      JsonObject claimed = new JsonObject(received.poll(10, TimeUnit.SECONDS));
      assertEquals("claimed", claimed.getString("type"), claimed.encode());
      assertEquals("Maja", claimed.getString("agent"));
      JsonObject pushed = new JsonObject(received.poll(10, TimeUnit.SECONDS));
      assertEquals("message", pushed.getString("type"), pushed.encode());
      assertEquals("agent", pushed.getString("from"));
      assertTrue(pushed.getString("text").startsWith("Hi, this is Maja"));
      assertFalse(pushed.getString("html").contains("<script"), pushed.getString("html"));
    } finally {
      socket.abort();
    }
  }

  @Test
  void should_tell_the_citizens_socket_to_catch_up_when_the_push_relay_was_cut_off() throws Exception {
    String id = startConversation(http, "en");
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    WebSocket socket = subscribed(id, received);
    try {
      // the database drops the relay's listening connection: notifications sent until it is back are lost
      await(civicbot.bot.database().pool().query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
          + " WHERE query ILIKE 'LISTEN%' AND datname = current_database()").execute());
      String next = received.poll(60, TimeUnit.SECONDS);
      assertTrue(next != null && "resync".equals(new JsonObject(next).getString("type")),
          "the socket is told to re-read the transcript: " + next);
    } finally {
      socket.abort();
    }
  }

  @Test
  void should_close_the_websocket_of_an_unknown_conversation() throws Exception {
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + civicbot.port()
            + "/api/v1/conversations/5f0c6a1e-0000-4000-8000-000000000000/events"), new WebSocket.Listener() {
              @Override
              public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
              }
            })
        .get(10, TimeUnit.SECONDS);
    assertEquals(4404, closed.get(10, TimeUnit.SECONDS));
  }

  /** The citizen's WebSocket of conversation {@code id}, once subscribed; its frames go to {@code received}. */
  private static WebSocket subscribed(String id, BlockingQueue<String> received) throws Exception {
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + civicbot.port() + "/api/v1/conversations/" + id + "/events"),
            collector(received))
        .get(10, TimeUnit.SECONDS);
    assertEquals("subscribed", new JsonObject(received.poll(10, TimeUnit.SECONDS)).getString("type"));
    return socket;
  }

  private static WebSocket.Listener collector(BlockingQueue<String> received) {
    return new WebSocket.Listener() {
      private final StringBuilder partial = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          received.add(partial.toString());
          partial.setLength(0);
        }
        webSocket.request(1);
        return null;
      }
    };
  }

  private static HttpTestClient.Response admin(String path) {
    return http.get(path, Map.of("authorization", "Bearer " + RunningCivicBot.ADMIN_TOKEN));
  }

  private static void assertError(int status, HttpTestClient.Response response) {
    assertEquals(status, response.status(), response.body());
    JsonObject body = response.json();
    assertNotNull(body.getString("error"), response.body());
    assertFalse(body.getString("message").isBlank());
    assertFalse(response.body().contains("Exception"), "no stack trace: " + response.body());
  }
}
