package org.civicbot.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.civicbot.admin.staff.Role;
import org.civicbot.admin.stats.ConversationExport;
import org.civicbot.admin.staff.StaffUser;
import org.civicbot.bot.conversation.ConversationStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import static org.civicbot.knowledge.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The resolution statistics of DESIGN over real conversations in a municipality of their own: each kind of ending
 * made through the chat API gives exact counts and rates; the figures are the tenant's alone; and they survive the
 * retention deletion of the transcripts behind them.
 */
class StatsApiTest {
  private static RunningCivicBot civicbot;
  private static String tenant;
  private static StaffClient manager;

  @BeforeAll
  static void start() {
    civicbot = StaffServer.shared();
    tenant = "stats" + Long.toString(System.nanoTime(), 36);
    StaffClient editor = StaffServer.loggedIn(StaffServer.user(tenant, Role.EDITOR));
    manager = StaffServer.loggedIn(StaffServer.user(tenant, Role.MANAGER));
    publish(editor, "test-bins", "en", EditorApiTest.article("Order a new rubbish bin from the recycling centre.",
        "Where do I get a new rubbish bin?", "How do I order a rubbish bin for my house?"));
    publish(editor, "test-bikes", "en", EditorApiTest.article("Abandoned bicycles are collected by the road team.",
        "Who removes an abandoned bicycle from the street?"));
    publish(editor, "test-bins", "da", EditorApiTest.article("Bestil en ny skraldespand hos genbrugspladsen.",
        "Hvor får jeg en ny skraldespand?"));
  }

  static void publish(StaffClient editor, String slug, String lang, JsonObject article) {
    String base = "/api/v1/admin/articles/" + slug + "/" + lang;
    assertEquals(201, editor.json("PUT", base, article, true).status());
    assertEquals(200, editor.json("POST", base + "/publish", new JsonObject(), true).status());
  }

  private static String conversation() {
    HttpTestClient.Response started = civicbot.http.post("/api/v1/conversations", new JsonObject()
        .put("channel", "web").put("lang", "en").put("tenant", tenant));
    assertEquals(201, started.status(), started.body());
    return started.json().getString("id");
  }

  private static String say(String id, String text) {
    HttpTestClient.Response reply = civicbot.http.post("/api/v1/conversations/" + id + "/messages",
        new JsonObject().put("text", text));
    assertEquals(200, reply.status(), reply.body());
    return reply.json().getString("outcome");
  }

  private static void end(String id) {
    HttpTestClient.Response ended = civicbot.http.post("/api/v1/conversations/" + id + "/end", new JsonObject());
    assertEquals(200, ended.status(), ended.body());
    assertTrue(ended.json().getBoolean("ended"));
  }

  private static JsonObject stats(StaffClient client, String query) {
    HttpTestClient.Response r = client.get("/api/v1/admin/stats?" + query);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  @Test
  void should_count_each_ending_exactly_keep_it_to_the_tenant_and_outlive_retention() {
    String confirmed = conversation();
    assertEquals("answered", say(confirmed, "where do I get a new rubbish bin"));
    assertEquals(200, civicbot.http.post("/api/v1/conversations/" + confirmed + "/feedback",
        new JsonObject().put("resolved", true)).status());
    end(confirmed);
    String assumed = conversation();
    assertEquals("answered", say(assumed, "how do I order a rubbish bin for my house"));
    end(assumed);
    String escalated = conversation();
    assertEquals("handoff", say(escalated, "I want to talk to a real person please"));
    end(escalated);
    String unresolved = conversation();
    assertEquals("fallback", say(unresolved, "what is the airspeed of an unladen swallow"));
    end(unresolved);
    String abandoned = conversation();
    end(abandoned);
    end(abandoned);
    String open = conversation();
    assertEquals("answered", say(open, "who removes an abandoned bicycle from the street"));
    say(open, "my cpr number is 010203-1234, is that needed?");

    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String period = "from=" + today + "&to=" + today;
    JsonObject s = stats(manager, period);
    assertEquals(6, s.getInteger("conversations"), s.encodePrettily());
    assertEquals(5, s.getInteger("ended"));
    assertEquals(2, s.getInteger("resolved"));
    assertEquals(1, s.getInteger("confirmed"));
    assertEquals(1, s.getInteger("assumed"));
    assertEquals(1, s.getInteger("escalated"));
    assertEquals(2, s.getInteger("unresolved"), "the fallback and the abandoned one");
    assertEquals(1, s.getInteger("abandoned"));
    assertEquals(0.4, s.getDouble("resolutionRate"), 1e-9);
    assertEquals(0.8, s.getDouble("containmentRate"), 1e-9);
    assertEquals(6, s.getJsonObject("byChannel").getJsonObject("web").getInteger("conversations"));
    assertEquals(6, s.getJsonObject("byLanguage").getJsonObject("en").getInteger("conversations"));
    JsonArray days = s.getJsonArray("byDay");
    assertEquals(1, days.size());
    assertEquals(6, days.getJsonObject(0).getInteger("conversations"));
    JsonObject bins = s.getJsonArray("byArticle").stream().map(JsonObject.class::cast)
        .filter(a -> a.getString("slug").equals("test-bins")).findFirst().orElseThrow();
    assertEquals(2, bins.getInteger("conversations"));
    assertEquals(2, bins.getInteger("resolved"));
    assertEquals(0, stats(manager, period + "&channel=phone").getInteger("conversations"));
    assertEquals(6L, s.getJsonArray("byHourOfWeek").stream().flatMap(d -> ((JsonArray) d).stream())
        .mapToLong(n -> ((Number) n).longValue()).sum(), "every conversation in one hour of the week");
    assertEquals(7, s.getJsonArray("byHourOfWeek").size());

    JsonObject firstAnswer = s.getJsonObject("firstAnswer");
    assertEquals(5, firstAnswer.getInteger("conversations"), "every conversation with a message: " + firstAnswer);
    assertTrue(firstAnswer.getDouble("p50Ms") > 0 && firstAnswer.getDouble("p90Ms") >= firstAnswer.getDouble("p50Ms"),
        firstAnswer.encode());
    assertEquals(5, s.getJsonObject("byChannel").getJsonObject("web").getJsonObject("firstAnswer")
        .getInteger("conversations"));
    conversationsCsv(period, Map.of(confirmed, "confirmed", assumed, "assumed", escalated, "escalated",
        unresolved, "unresolved", abandoned, "abandoned", open, "open"));

    assertEquals(0.3, s.getDouble("staffHoursSaved"), 1e-9, "4 conversations without a person x 4 minutes");
    assertEquals(403, manager.postPairs("/admin/dashboard/minutes", "minutes", "15").status(), "admins set it");
    StaffClient admin = StaffServer.loggedIn(StaffServer.user(tenant, Role.ADMIN));
    assertEquals(400, admin.postPairs("/admin/dashboard/minutes", "minutes", "999").status());
    assertEquals(302, admin.postPairs("/admin/dashboard/minutes", "minutes", "15").status());
    assertEquals(1.0, stats(manager, period).getDouble("staffHoursSaved"), 1e-9);

    StaffClient neighbour = StaffServer.loggedIn(StaffServer.user("eksempel", Role.MANAGER));
    assertEquals(404, neighbour.get("/api/v1/admin/stats?" + period + "&tenant=" + tenant).status());
    assertTrue(stats(neighbour, period).getInteger("conversations") >= 0);
    assertEquals(403, StaffServer.loggedIn(StaffServer.user(tenant, Role.EDITOR)).get("/api/v1/admin/stats")
        .status(), "statistics are the managers'");
    assertEquals(400, manager.get("/api/v1/admin/stats?from=2026-13-01").status());
    JsonObject all = civicbot.http.get("/api/v1/admin/stats?" + period + "&tenant=all",
        Map.of("authorization", "Bearer " + RunningCivicBot.ADMIN_TOKEN)).json();
    assertTrue(all.getInteger("conversations") >= 6, "the operator sees every tenant");

    // sealed into the daily figures: the same figures, counted once
    ConversationStore store = ConversationStore.create(civicbot.vertx, civicbot.bot.database().pool());
    LocalDate day = LocalDate.now(ZoneOffset.UTC);
    assertEquals(0L, await(store.sealStatistics(Optional.of(tenant), day.minusDays(1))), "nothing before today");
    assertSame(s, stats(manager, period));
    assertEquals(6L, await(store.sealStatistics(Optional.of(tenant), day)));
    assertEquals(0L, await(store.sealStatistics(Optional.of(tenant), day)), "a sealed day is counted once");
    assertSame(s, stats(manager, period));

    // retention: the transcripts go, the figures stay (of a sealed day here, of a day not sealed in the other one)
    String other = EditorApiTest.conversationId(EditorApiTest.ask("how do I renew my passport"));
    JsonObject before = stats(neighbour, period);
    await(civicbot.bot.database().pool().preparedQuery("UPDATE conversations SET last_activity_at = now()"
        + " - interval '400 days' WHERE tenant_id = $1 OR conversation_id = $2")
        .execute(io.vertx.sqlclient.Tuple.of(tenant, java.util.UUID.fromString(other))));
    int deleted = await(store.deleteInactiveSince(Instant.now().minus(Duration.ofDays(300))));
    assertEquals(7, deleted);
    assertEquals(404, civicbot.http.get("/api/v1/conversations/" + confirmed).status(), "the transcript is gone");
    assertEquals(404, civicbot.http.get("/api/v1/conversations/" + other).status());
    assertSame(s, stats(manager, period));
    assertSame(before, stats(neighbour, period));
  }

  @Test
  void should_export_every_conversation_of_a_long_period_once_across_pages_for_the_operator_too() {
    // more conversations than three pages, three at a time sharing a start time (the keyset's tie on the id)
    String many = "export" + Long.toString(System.nanoTime(), 36);
    StaffClient theirManager = StaffServer.loggedIn(StaffServer.user(many, Role.MANAGER));
    int count = ConversationExport.PAGE * 2 + 237;
    java.util.Set<String> inserted = new java.util.HashSet<>();
    await(civicbot.bot.database().pool().preparedQuery("INSERT INTO conversations (tenant_id, conversation_id,"
            + " channel, lang, started_at, last_activity_at, ended_at, resolution, outcome, messages_in, next_seq)"
            + " SELECT $1, gen_random_uuid(), 'web', 'da', date_trunc('second', now()) - (i / 3) * interval '1 second',"
            + " now(), now(), 'resolved', 'assumed', 1, 1 FROM generate_series(1, $2) i RETURNING conversation_id")
        .execute(io.vertx.sqlclient.Tuple.of(many, count)))
        .forEach(r -> inserted.add(r.getUUID(0).toString()));
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String period = "from=" + today.minusDays(1) + "&to=" + today.plusDays(1);

    HttpTestClient.Response r = civicbot.http.get("/admin/dashboard/conversations.csv?" + period + "&tenant=" + many,
        Map.of("authorization", "Bearer " + RunningCivicBot.ADMIN_TOKEN));
    assertEquals(200, r.status(), r.body());
    java.util.List<java.util.List<String>> records = csv(r.body());
    java.util.List<String> ids = records.subList(1, records.size()).stream().map(c -> c.get(0)).toList();
    assertEquals(count, ids.size(), "one record per conversation");
    assertEquals(inserted, new java.util.HashSet<>(ids), "each conversation once");
    java.util.List<String> starts = records.subList(1, records.size()).stream().map(c -> c.get(1)).toList();
    assertEquals(starts.stream().sorted().toList(), starts, "in order of their start");
    assertEquals(count, stats(theirManager, period).getInteger("conversations"), "the export and the figures count the same conversations");
  }

  @Test
  void should_judge_an_assumed_resolution_again_when_the_citizen_returns_with_the_same_question() {
    String visitor = "visitor-" + Long.toString(System.nanoTime(), 36) + "-0123456789";
    String first = sampleConversation(visitor);
    assertEquals("answered", say(first, "how do I renew my passport"));
    end(first);
    assertEquals("assumed", endedOutcome(first));

    String someoneElse = sampleConversation("someone-else-" + Long.toString(System.nanoTime(), 36) + "-abcdef");
    assertEquals("answered", say(someoneElse, "how do I renew my passport"));
    String back = sampleConversation(visitor);
    assertEquals("answered", say(back, "what do I need to renew my passport"));
    long deadline = System.currentTimeMillis() + 10_000;
    while (!rejudged(first) && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    assertTrue(rejudged(first), "the earlier conversation is judged again");
    assertEquals("unresolved", admin(first).getString("resolution"));
    assertEquals(null, admin(someoneElse).getValue("endedAt"), "another visitor's conversation is untouched");
    assertEquals(400, civicbot.http.post("/api/v1/conversations", new JsonObject().put("visitor", "short"))
        .status(), "a visitor id is long and random");
  }

  @Test
  void should_sample_ended_conversations_for_review_and_give_the_audited_rate_with_its_wilson_interval() {
    for (int i = 0; i < 10; i++) {
      String id = sampleConversation("review-visitor-" + i + "-" + Long.toString(System.nanoTime(), 36));
      say(id, "when is the library open");
      end(id);
    }
    StaffUser reviewer = StaffServer.user("eksempel", Role.MANAGER);
    StaffClient client = StaffServer.loggedIn(reviewer);
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    String query = "from=" + today + "&to=" + today + "&channel=web";
    int disagree = 0;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 10; i++) {
      HttpTestClient.Response next = client.get("/admin/reviews/next?" + query);
      assertEquals(302, next.status());
      String location = next.header("location");
      assertTrue(location.startsWith("/admin/reviews/"), location);
      String id = location.substring("/admin/reviews/".length(), location.indexOf('?'));
      assertTrue(seen.add(id), "a conversation is drawn once");
      HttpTestClient.Response page = client.get(location);
      assertEquals(200, page.status());
      assertTrue(page.body().contains("name=\"verdict\""), "the review form");
      String verdict = i < 8 ? "correct" : "incorrect";
      if (verdict.equals("correct") != "resolved".equals(admin(id).getString("resolution"))) {
        disagree++;
      }
      assertEquals(302, client.postPairs("/admin/reviews/" + id, "verdict", verdict, "note", "checked",
          "query", query).status());
    }
    JsonObject audited = stats(client, "from=" + today + "&to=" + today).getJsonObject("audited");
    assertEquals(10, audited.getInteger("reviewed"), audited.encode());
    assertEquals(8, audited.getInteger("correct"));
    assertEquals(0.8, audited.getDouble("rate"), 1e-9);
    // Wilson 95 % for 8 of 10, by hand: (0.8 + z^2/20 -+ z sqrt(0.016 + z^2/400)) / (1 + z^2/10), z = 1.96
    assertEquals(0.4902, audited.getJsonArray("ci95").getDouble(0), 1e-4);
    assertEquals(0.9433, audited.getJsonArray("ci95").getDouble(1), 1e-4);
    assertEquals(disagree / 10.0, audited.getDouble("disagreement"), 1e-9);
    assertEquals(400, client.postPairs("/admin/reviews/" + seen.iterator().next(), "verdict", "maybe").status());
    assertEquals(404, client.postPairs("/admin/reviews/" + java.util.UUID.randomUUID(), "verdict", "correct")
        .status());
    assertEquals(404, manager.get("/admin/reviews/" + seen.iterator().next() + "?" + query).status(),
        "another tenant's conversation");
    assertEquals(200, client.get("/admin/reviews?" + query).status());
  }

  private static String sampleConversation(String visitor) {
    HttpTestClient.Response started = civicbot.http.post("/api/v1/conversations", new JsonObject()
        .put("channel", "web").put("lang", "en").put("visitor", visitor));
    assertEquals(201, started.status(), started.body());
    return started.json().getString("id");
  }

  private static JsonObject admin(String id) {
    return civicbot.http.get("/api/v1/admin/conversations/" + id, Map.of("authorization", "Bearer "
        + RunningCivicBot.ADMIN_TOKEN)).json();
  }

  private static String endedOutcome(String id) {
    return admin(id).getJsonArray("events").stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("type").equals("ended")).map(e -> e.getJsonObject("payload").getString("outcome"))
        .findFirst().orElse(null);
  }

  private static boolean rejudged(String id) {
    return admin(id).getJsonArray("events").stream().map(JsonObject.class::cast)
        .anyMatch(e -> e.getString("type").equals("rejudged"));
  }

  /**
   * The conversations export: one record per conversation with its outcome and transcript, the CPR number the citizen
   * wrote not in it, the download in the audit log; and the tenant's alone.
   */
  private static void conversationsCsv(String period, Map<String, String> outcomes) {
    HttpTestClient.Response r = manager.get("/admin/dashboard/conversations.csv?" + period);
    assertEquals(200, r.status(), r.body());
    assertTrue(r.header("content-type").startsWith("text/csv"), r.header("content-type"));
    java.util.List<java.util.List<String>> records = csv(r.body());
    assertEquals(java.util.List.of("conversation_id", "started_at", "ended_at", "channel", "language", "outcome",
        "messages", "answered_article", "first_answer_ms", "transcript"), records.get(0));
    assertEquals(outcomes.size(), records.size() - 1, r.body());
    for (java.util.List<String> record : records.subList(1, records.size())) {
      assertEquals(outcomes.get(record.get(0)), record.get(5), record.toString());
      assertEquals("web", record.get(3));
    }
    String body = r.body();
    assertTrue(body.contains("citizen: where do I get a new rubbish bin"), body);
    assertTrue(body.contains("bot: "), body);
    assertTrue(!body.contains("010203-1234") && !body.contains("0102031234"), "redacted as stored: " + body);
    long audited = await(civicbot.bot.database().pool().preparedQuery("SELECT count(*) FROM audit_log"
        + " WHERE tenant_id = $1 AND action = 'conversations.export'").execute(io.vertx.sqlclient.Tuple.of(tenant)))
        .iterator().next().getLong(0);
    assertEquals(1L, audited);
    StaffClient neighbour = StaffServer.loggedIn(StaffServer.user("eksempel", Role.MANAGER));
    String theirs = neighbour.get("/admin/dashboard/conversations.csv?" + period).body();
    outcomes.keySet().forEach(id -> assertTrue(!theirs.contains(id), "another tenant's export"));
  }

  /** RFC 4180 records (quoted cells may hold commas, quotes and line breaks). */
  static java.util.List<java.util.List<String>> csv(String text) {
    java.util.List<java.util.List<String>> records = new java.util.ArrayList<>();
    java.util.List<String> record = new java.util.ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        record.add(cell.toString());
        cell.setLength(0);
      } else if (c == '\n') {
        record.add(cell.toString());
        cell.setLength(0);
        records.add(record);
        record = new java.util.ArrayList<>();
      } else if (c != '\r') {
        cell.append(c);
      }
    }
    return records;
  }

  /** The same figures, also per day, channel, language and article. */
  private static void assertSame(JsonObject expected, JsonObject actual) {
    for (String figure : new String[] {"conversations", "ended", "resolved", "confirmed", "assumed", "escalated",
        "unresolved", "abandoned", "resolutionRate", "containmentRate"}) {
      assertEquals(expected.getValue(figure), actual.getValue(figure), figure + ": " + actual.encodePrettily());
    }
    assertEquals(expected.getJsonArray("byArticle"), actual.getJsonArray("byArticle"));
    assertEquals(expected.getInteger("medianTurns"), actual.getInteger("medianTurns"));
    assertEquals(expected.getJsonArray("byHourOfWeek"), actual.getJsonArray("byHourOfWeek"));
    assertEquals(expected.getJsonObject("firstAnswer"), actual.getJsonObject("firstAnswer"));
  }
}
