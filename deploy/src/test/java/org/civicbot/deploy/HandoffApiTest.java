package org.civicbot.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.civicbot.admin.staff.Role;
import org.civicbot.admin.staff.StaffUser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The handoff of DESIGN over the real API, in a municipality of its own: a citizen's request for a person lands in the
 * queue; of two agents claiming at once exactly one holds it; while they do, the citizen's messages go to them and the
 * bot is silent; a release gives it back to the bot, a close ends it as escalated; another tenant's agent sees none of
 * it.
 */
class HandoffApiTest {
  private static RunningCivicBot civicbot;
  private static String tenant;
  private static StaffUser mette;
  private static StaffUser jonas;
  private static StaffClient metteClient;
  private static StaffClient jonasClient;
  private static StaffClient outsider;

  @BeforeAll
  static void start() {
    civicbot = StaffServer.shared();
    tenant = "handoff" + Long.toString(System.nanoTime(), 36);
    mette = StaffServer.named(tenant, "Mette", Role.AGENT);
    jonas = StaffServer.named(tenant, "Jonas", Role.AGENT);
    metteClient = StaffServer.loggedIn(mette);
    jonasClient = StaffServer.loggedIn(jonas);
    outsider = StaffServer.loggedIn(StaffServer.user("other" + tenant, Role.AGENT));
    // a municipality chats once it has published articles in both languages
    StaffClient editor = StaffServer.loggedIn(StaffServer.user(tenant, Role.EDITOR));
    StatsApiTest.publish(editor, "test-bins", "en",
        EditorApiTest.article("Order a new rubbish bin from the recycling centre.", "Where do I get a new rubbish bin?"));
    StatsApiTest.publish(editor, "test-bins", "da",
        EditorApiTest.article("Bestil en ny skraldespand hos genbrugspladsen.", "Hvor får jeg en ny skraldespand?"));
  }

  private static String conversation() {
    HttpTestClient.Response started = civicbot.http.post("/api/v1/conversations", new JsonObject()
        .put("channel", "web").put("lang", "en").put("tenant", tenant));
    assertEquals(201, started.status(), started.body());
    return started.json().getString("id");
  }

  private static JsonObject say(String id, String text) {
    HttpTestClient.Response reply = civicbot.http.post("/api/v1/conversations/" + id + "/messages",
        new JsonObject().put("text", text));
    assertEquals(200, reply.status(), reply.body());
    return reply.json();
  }

  private static HttpTestClient.Response post(StaffClient agent, String path, JsonObject body) {
    return agent.json("POST", path, body, true);
  }

  private static Optional<JsonObject> listed(StaffClient agent, String status, String id) {
    HttpTestClient.Response list = agent.get("/api/v1/admin/handoffs?status=" + status);
    assertEquals(200, list.status(), list.body());
    return list.json().getJsonArray("handoffs").stream().map(JsonObject.class::cast)
        .filter(h -> id.equals(h.getString("conversationId"))).findFirst();
  }

  @Test
  void should_give_a_handed_off_conversation_to_one_agent_silence_the_bot_and_hand_it_back() throws Exception {
    String id = conversation();
    assertEquals("handoff", say(id, "I want to talk to a human").getString("outcome"));

    JsonObject waiting = listed(metteClient, "waiting", id).orElseThrow(() -> new AssertionError("not in the queue"));
    assertEquals("web", waiting.getString("channel"));
    assertEquals("en", waiting.getString("lang"));
    assertEquals("I want to talk to a human", waiting.getString("lastMessage"));
    assertTrue(waiting.getLong("waitingSeconds") >= 0);
    assertTrue(listed(outsider, "waiting", id).isEmpty(), "another municipality's agent does not see it");
    JsonObject place = civicbot.http.get("/api/v1/conversations/" + id + "/queue").json();
    assertTrue(place.getBoolean("waiting"), place.encode());
    assertEquals(1, place.getInteger("position"), "alone in this municipality's queue: " + place.encode());
    assertEquals(404, post(outsider, "/api/v1/admin/handoffs/" + id + "/claim", new JsonObject()).status());

    // two agents claim at the same moment: one holds it, the other is told who does
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<HttpTestClient.Response>> claims = Stream.of(metteClient, jonasClient)
        .map(agent -> CompletableFuture.supplyAsync(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return post(agent, "/api/v1/admin/handoffs/" + id + "/claim", new JsonObject());
        })).toList();
    go.countDown();
    HttpTestClient.Response first = claims.get(0).get();
    HttpTestClient.Response second = claims.get(1).get();
    assertEquals(List.of(200, 409), Stream.of(first.status(), second.status()).sorted().toList(),
        first.body() + " / " + second.body());
    boolean metteHolds = first.status() == 200;
    StaffClient holder = metteHolds ? metteClient : jonasClient;
    StaffClient other = metteHolds ? jonasClient : metteClient;
    String holderName = (metteHolds ? mette : jonas).name();
    HttpTestClient.Response refused = metteHolds ? second : first;
    assertTrue(refused.json().getString("message").contains(holderName), refused.body());
    assertEquals("active", (metteHolds ? first : second).json().getString("status"));
    assertTrue(listed(holder, "waiting", id).isEmpty(), "claimed: no longer waiting");
    assertFalse(civicbot.http.get("/api/v1/conversations/" + id + "/queue").json().getBoolean("waiting"));

    // only the holder writes; the citizen sees the message with the agent's name
    assertEquals(409, post(other, "/api/v1/admin/conversations/" + id + "/messages",
        new JsonObject().put("text", "I can help too")).status());
    assertEquals(202, post(holder, "/api/v1/admin/conversations/" + id + "/messages",
        new JsonObject().put("text", "Hello, how can I help?")).status());
    JsonObject agentMessage = civicbot.http.get("/api/v1/conversations/" + id).json().getJsonArray("messages")
        .stream().map(JsonObject.class::cast).filter(m -> "agent".equals(m.getString("from"))).findFirst()
        .orElseThrow(() -> new AssertionError("the agent's message is in the citizen's transcript"));
    assertEquals("Hello, how can I help?", agentMessage.getString("text"));
    assertEquals(holderName, agentMessage.getString("agent"));

    // the citizen's next question goes to the person: the bot says nothing
    JsonObject toAgent = say(id, "How do I renew my passport?");
    assertEquals("agent", toAgent.getString("outcome"), toAgent.encode());
    assertEquals(0, toAgent.getJsonArray("replies").size(), toAgent.encode());
    JsonObject active = listed(holder, "active", id).orElseThrow(() -> new AssertionError("not active"));
    assertEquals(holderName, active.getString("agent"));
    assertEquals("How do I renew my passport?", active.getString("lastMessage"));

    // the other agent can neither release nor close it; the holder releases it and the bot answers again
    assertEquals(409, post(other, "/api/v1/admin/handoffs/" + id + "/release", new JsonObject()).status());
    assertEquals(409, post(other, "/api/v1/admin/handoffs/" + id + "/close", new JsonObject()).status());
    HttpTestClient.Response released = post(holder, "/api/v1/admin/handoffs/" + id + "/release", new JsonObject());
    assertEquals(200, released.status(), released.body());
    assertEquals("released", released.json().getString("status"));
    assertNotEquals("agent", say(id, "How do I renew my passport?").getString("outcome"), "the bot answers again");
    assertEquals(409, post(holder, "/api/v1/admin/handoffs/" + id + "/release", new JsonObject()).status(),
        "released: nobody holds it");

    // asked again, it queues again; the other agent takes it and closes it: escalated
    assertEquals("handoff", say(id, "can I talk to a person please").getString("outcome"));
    assertTrue(listed(other, "waiting", id).isPresent(), "back in the queue");
    assertEquals(200, post(other, "/api/v1/admin/handoffs/" + id + "/claim", new JsonObject()).status());
    HttpTestClient.Response closed = post(other, "/api/v1/admin/handoffs/" + id + "/close", new JsonObject());
    assertEquals(200, closed.status(), closed.body());
    assertEquals("closed", closed.json().getString("status"));
    assertTrue(listed(other, "closed", id).isPresent(), "listed as closed");
    assertEquals(409, post(other, "/api/v1/admin/handoffs/" + id + "/claim", new JsonObject()).status(),
        "an ended conversation cannot be claimed");

    JsonObject transcript = other.get("/api/v1/admin/conversations/" + id).json();
    assertEquals("escalated", transcript.getString("resolution"), transcript.encode());
    JsonArray events = transcript.getJsonArray("events");
    List<String> changes = events.stream().map(JsonObject.class::cast).map(e -> e.getString("type"))
        .filter(t -> List.of("handoff", "claimed", "released", "ended").contains(t)).toList();
    assertEquals(List.of("handoff", "claimed", "released", "handoff", "claimed", "ended"), changes,
        "every change of owner is an event in the log");
  }

  @Test
  void should_refuse_bad_requests_to_the_queue_with_a_clear_error() {
    assertEquals(400, metteClient.get("/api/v1/admin/handoffs?status=everything").status());
    assertEquals(404, post(metteClient, "/api/v1/admin/handoffs/not-a-uuid/claim", new JsonObject()).status());
    assertEquals(404, post(metteClient, "/api/v1/admin/handoffs/5f0c6a1e-0000-4000-8000-000000000000/claim",
        new JsonObject()).status());
    String id = conversation();
    HttpTestClient.Response notHeld = post(metteClient, "/api/v1/admin/handoffs/" + id + "/release",
        new JsonObject());
    assertEquals(409, notHeld.status(), notHeld.body());
    assertFalse(notHeld.body().contains("Exception"), notHeld.body());
    HttpTestClient.Response takeover = metteClient.json("POST", "/api/v1/admin/handoffs/" + id + "/claim",
        new JsonObject(), true);
    assertEquals(200, takeover.status(), "an agent may take over a live conversation from the bot: "
        + takeover.body());
    assertEquals("agent", say(id, "hello?").getString("outcome"));
  }

  /** A schedule that is closed all of today in Copenhagen: open only on another day of the week. */
  static String closedToday() {
    java.time.DayOfWeek other = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Copenhagen")).getDayOfWeek()
        .plus(3);
    return other.getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.ENGLISH).toLowerCase(
        java.util.Locale.ROOT) + " 08:00-15:00; holidays";
  }

  @Test
  void should_take_a_message_and_a_way_to_be_reached_outside_opening_hours_into_the_queue() {
    StaffClient admin = StaffServer.loggedIn(StaffServer.user(tenant, Role.ADMIN));
    HttpTestClient.Response refused = admin.json("PUT", "/api/v1/admin/opening-hours",
        new JsonObject().put("schedule", "mon-fre 08:00-15:00"), true);
    assertEquals(400, refused.status(), refused.body());
    assertTrue(refused.json().getString("message").contains("'fre'"), refused.body());
    assertEquals(403, metteClient.json("PUT", "/api/v1/admin/opening-hours",
        new JsonObject().put("schedule", "always"), true).status(), "only an admin sets the hours");
    String schedule = closedToday();
    HttpTestClient.Response set = admin.json("PUT", "/api/v1/admin/opening-hours",
        new JsonObject().put("schedule", schedule), true);
    assertEquals(200, set.status(), set.body());
    assertEquals(false, set.json().getBoolean("open"));
    assertTrue(set.json().getBoolean("own"));
    try {
      String id = conversation();
      JsonObject closed = say(id, "I want to talk to a human");
      assertEquals("handoff", closed.getString("outcome"), "still queued for when people are back");
      assertEquals("leave_message", closed.getString("action"));
      String back = org.civicbot.bot.handoff.OpeningHours.parse(schedule, java.time.ZoneId.of("Europe/Copenhagen"))
          .describeNextOpening(java.time.Instant.now(), org.civicbot.knowledge.Language.EN);
      String text = closed.getJsonArray("replies").getJsonObject(0).getString("text");
      assertTrue(text.contains("We are back " + back), text);

      String contact = "/api/v1/conversations/" + id + "/contact";
      assertEquals(400, civicbot.http.post(contact, new JsonObject().put("text", "Please call me")).status(),
          "a way to be reached is needed");
      assertEquals(400, civicbot.http.post(contact, new JsonObject().put("text", "Hi").put("email", "not-an-address"))
          .status());
      assertEquals(400, civicbot.http.post(contact, new JsonObject().put("text", "Hi").put("phone", "12")).status());
      HttpTestClient.Response left = civicbot.http.post(contact, new JsonObject()
          .put("text", "My bin was not emptied on Tuesday, my CPR is 010190-1234").put("email", "anna@example.org")
          .put("phone", "20 30 40 50").put("callBack", true));
      assertEquals(201, left.status(), left.body());

      // the message waits in the queue (redacted, as every stored message); the way to reach them is kept apart
      JsonObject waiting = listed(metteClient, "waiting", id).orElseThrow(() -> new AssertionError("not queued"));
      assertTrue(waiting.getString("lastMessage").startsWith("My bin was not emptied"), waiting.encode());
      assertFalse(waiting.getString("lastMessage").contains("010190"), "the CPR number was not stored");
      JsonObject request = metteClient.get("/api/v1/admin/callbacks").json().getJsonArray("callbacks").stream()
          .map(JsonObject.class::cast).filter(r -> id.equals(r.getString("conversationId"))).findFirst()
          .orElseThrow(() -> new AssertionError("the contact request is listed"));
      assertEquals("web", request.getString("channel"));
      assertEquals("anna@example.org", request.getString("email"));
      assertEquals("+4520304050", request.getString("phoneNumber"));
      assertTrue(request.getBoolean("callBack"));
      assertTrue(metteClient.get("/admin/inbox").body().contains("anna@example.org"), "the inbox lists it");

      // a conversation nobody is waiting for takes no message
      String other = conversation();
      assertEquals(409, civicbot.http.post("/api/v1/conversations/" + other + "/contact", new JsonObject()
          .put("text", "Hello").put("email", "anna@example.org")).status());
    } finally {
      assertEquals(200, admin.json("PUT", "/api/v1/admin/opening-hours", new JsonObject().put("schedule", ""), true)
          .status());
    }
    // back to the installation's hours: no longer the tenant's own
    assertFalse(admin.get("/api/v1/admin/opening-hours").json().getBoolean("own"));
  }

  @Test
  void should_let_an_agent_watch_a_live_bot_conversation_and_take_it_over() {
    String id = conversation();
    assertEquals("answered", say(id, "Where do I get a new rubbish bin?").getString("outcome"));
    String inbox = metteClient.get("/admin/inbox").body();
    assertTrue(inbox.contains("data-live=\"" + id + "\""), "listed as live with the bot");
    assertFalse(outsider.get("/admin/inbox").body().contains(id), "not in another municipality's inbox");

    HttpTestClient.Response taken = post(metteClient, "/api/v1/admin/handoffs/" + id + "/claim", new JsonObject());
    assertEquals(200, taken.status(), taken.body());
    assertEquals("active", taken.json().getString("status"));
    assertEquals("agent", say(id, "Thanks, and when is it delivered?").getString("outcome"), "the bot is silent");
    assertFalse(metteClient.get("/admin/inbox").body().contains("data-live=\"" + id + "\""), "no longer the bot's");
    assertEquals(200, post(metteClient, "/api/v1/admin/handoffs/" + id + "/close", new JsonObject()).status());
  }

  @Test
  void should_refuse_a_claim_beyond_the_agents_capacity_and_keep_an_away_agent_quiet() {
    StaffUser sofie = StaffServer.named(tenant, "Sofie", Role.AGENT);
    StaffClient client = StaffServer.loggedIn(sofie);
    assertEquals(400, client.postForm("/admin/inbox/presence", Map.of("status", "online", "capacity", "99"))
        .status(), "a capacity is 1 to 20");
    assertEquals(302, client.postForm("/admin/inbox/presence", Map.of("status", "away", "capacity", "1")).status());
    assertTrue(client.get("/admin/inbox").body().contains("data-online=\"false\""), "away: no sound for new ones");

    String first = conversation();
    say(first, "I want to talk to a human");
    String second = conversation();
    say(second, "I want to talk to a human");
    assertEquals(200, post(client, "/api/v1/admin/handoffs/" + first + "/claim", new JsonObject()).status());
    assertTrue(client.get("/admin/inbox").body().contains("data-online=\"true\""), "a claim makes them online");
    HttpTestClient.Response full = post(client, "/api/v1/admin/handoffs/" + second + "/claim", new JsonObject());
    assertEquals(409, full.status(), full.body());
    assertTrue(full.json().getString("message").contains("capacity"), full.body());
    assertEquals(200, post(client, "/api/v1/admin/handoffs/" + first + "/claim", new JsonObject()).status(),
        "claiming one they hold again is no new claim");
    assertEquals(200, post(client, "/api/v1/admin/handoffs/" + first + "/close", new JsonObject()).status());
    assertEquals(200, post(client, "/api/v1/admin/handoffs/" + second + "/claim", new JsonObject()).status(),
        "room again after a close");
    assertEquals(200, post(client, "/api/v1/admin/handoffs/" + second + "/close", new JsonObject()).status());
  }
}
