package org.civicbot.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.civicbot.admin.staff.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The editors' API end to end on a running CivicBot: field validation, drafts the bot does not use, publishing that
 * the chat API answers with, a restore the answer follows, diffs, and a content gap closed with one action.
 */
class EditorApiTest {
  private static RunningCivicBot civicbot;
  private static StaffClient editor;

  @BeforeAll
  static void start() {
    civicbot = StaffServer.shared();
    editor = StaffServer.loggedIn(StaffServer.user("eksempel", Role.EDITOR));
  }

  static JsonObject article(String answer, String... questions) {
    return new JsonObject()
        .put("title", "Keeping bees in a private garden")
        .put("area", "environment")
        .put("questions", new JsonArray(java.util.List.of(questions)))
        .put("keywords", new JsonArray().add("bees").add("beehive"))
        .put("answer", answer)
        .put("spoken", "You may keep up to two beehives in a private garden without a permit.")
        .put("source_url", "https://example.org/bees");
  }

  @Test
  void should_refuse_each_bad_field_with_its_name() {
    JsonObject good = article("Bees need no permit.", "Can I keep bees?");
    assertField("valid_from", good.copy().put("valid_from", "2026-13-01"));
    assertField("titel", good.copy().put("titel", "typo"));
    assertField("questions", good.copy().put("questions", "Can I keep bees?"));
    assertField("questions", good.copy().put("questions", new JsonArray()));
    assertField("source_url", good.copy().put("source_url", "ftp://example.org"));
    assertField("title", good.copy().put("title", "x".repeat(201)));
    assertField("valid_until", good.copy().put("valid_from", "2026-05-01").put("valid_until", "2026-04-01"));
    assertField("not_covered", good.copy().put("not_covered", new JsonArray().add(new JsonObject().put("topic", "x"))));
    assertEquals(404, editor.json("GET", "/api/v1/admin/articles/test-never-saved/en", new JsonObject(), true)
        .status(), "nothing was stored");
    assertEquals(404, editor.json("PUT", "/api/v1/admin/articles/test-bees/fr", good, true).status());
    assertEquals(400, editor.json("PUT", "/api/v1/admin/articles/Not_A_Slug/en", good, true).status());
  }

  private static void assertField(String field, JsonObject body) {
    HttpTestClient.Response r = editor.json("PUT", "/api/v1/admin/articles/test-never-saved/en", body, true);
    assertEquals(400, r.status(), r.body());
    assertEquals(field, r.json().getString("field"), r.body());
    assertTrue(r.json().getString("message").contains(field), r.body());
  }

  @Test
  void should_answer_with_a_published_revision_only_and_follow_a_restore() {
    String slug = "test-bees-" + Long.toString(System.nanoTime(), 36);
    String base = "/api/v1/admin/articles/" + slug + "/en";
    HttpTestClient.Response created = editor.json("PUT", base, article("Revision one: up to two beehives need no"
        + " permit.", "Can I keep honeybees in my back garden?", "Do I need a permit for a beehive at home?"), true);
    assertEquals(201, created.status(), created.body());
    assertEquals("draft", created.json().getString("status"));
    String question = "do I need a permit to keep a beehive at home";
    assertNotEquals(slug, answeredSlug(question), "a draft is not answered with");

    assertEquals(200, editor.json("POST", base + "/publish", new JsonObject(), true).status());
    JsonObject reply = ask(question);
    assertEquals("answered", reply.getString("outcome"), reply.encode());
    assertEquals(slug, reply.getJsonArray("articles").getJsonObject(0).getString("slug"));
    assertTrue(reply.getJsonArray("replies").getJsonObject(0).getString("text").contains("Revision one"));

    assertEquals(200, editor.json("PUT", base, article("Revision two: beehives need a permit from 2027.",
        "Can I keep honeybees in my back garden?", "Do I need a permit for a beehive at home?"), true).status());
    assertTrue(replyText(question).contains("Revision one"), "the saved draft is not published yet");
    HttpTestClient.Response published = editor.json("POST", base + "/publish", new JsonObject(), true);
    assertEquals(2, published.json().getInteger("revision"));
    assertTrue(replyText(question).contains("Revision two"));

    HttpTestClient.Response diff = editor.get(base + "/diff?from=1&to=2");
    assertEquals(200, diff.status());
    assertEquals("answer", diff.json().getJsonArray("fields").getJsonObject(0).getString("field"));

    HttpTestClient.Response restored = editor.json("POST", base + "/revisions/1/restore", new JsonObject(), true);
    assertEquals(200, restored.status(), restored.body());
    assertEquals(3, restored.json().getInteger("revision"));
    assertTrue(replyText(question).contains("Revision one"), "the answer follows the restore");
    JsonObject shown = editor.get(base).json();
    assertEquals(3, shown.getInteger("published"));
    assertEquals(3, shown.getJsonArray("history").size());
    assertEquals(1, editor.get("/api/v1/admin/articles?q=" + slug).json().getJsonArray("articles").size(),
        "listed once, in English only");
  }

  @Test
  void should_list_a_fallback_as_a_content_gap_and_answer_it_once_added_as_a_phrasing() {
    String slug = "test-hives-" + Long.toString(System.nanoTime(), 36);
    String base = "/api/v1/admin/articles/" + slug + "/en";
    assertEquals(201, editor.json("PUT", base, article("Beehives: two are allowed without a permit.",
        "Can I keep honeybees in my back garden?"), true).status());
    assertEquals(200, editor.json("POST", base + "/publish", new JsonObject(), true).status());
    String question = "Who hands out the yellow wristbands for the midsummer bonfire queue?";
    JsonObject before = ask(question);
    assertEquals("fallback", before.getString("outcome"), before.encode());

    String today = LocalDate.now(ZoneOffset.UTC).toString();
    HttpTestClient.Response gaps = editor.get("/api/v1/admin/gaps?from=" + today + "&to=" + today + "&lang=en");
    assertEquals(200, gaps.status(), gaps.body());
    JsonArray groups = new JsonArray(gaps.body());
    JsonObject group = null;
    for (int i = 0; i < groups.size(); i++) {
      if (groups.getJsonObject(i).getJsonArray("examples").contains(question)) {
        group = groups.getJsonObject(i);
      }
    }
    assertTrue(group != null, "the fallback question is a gap: " + gaps.body());
    assertTrue(group.getJsonObject("reasons").getInteger("fallback") >= 1);

    HttpTestClient.Response closed = editor.json("POST", "/api/v1/admin/gaps/actions", new JsonObject()
        .put("question", question).put("lang", "en").put("action", "phrasing").put("slug", slug), true);
    assertEquals(200, closed.status(), closed.body());
    assertEquals("published", closed.json().getJsonObject("article").getString("status"));
    JsonObject after = ask(question);
    assertEquals("answered", after.getString("outcome"), after.encode());
    assertEquals(slug, after.getJsonArray("articles").getJsonObject(0).getString("slug"));
    assertTrue(!editor.get("/api/v1/admin/gaps?from=" + today + "&to=" + today + "&lang=en").body()
        .contains(question), "a closed gap leaves the list");
    assertEquals(400, editor.json("POST", "/api/v1/admin/gaps/actions", new JsonObject().put("question", question)
        .put("lang", "en").put("action", "delete"), true).status());
  }

  @Test
  void should_show_which_saved_answers_a_publish_would_change_before_it_is_published() {
    String slug = "test-kayak-" + Long.toString(System.nanoTime(), 36);
    String base = "/api/v1/admin/articles/" + slug + "/en";
    assertEquals(201, editor.json("PUT", base, article("Kayaks and canoes may be launched from the public jetty"
        + " in the harbour.", "Where can I launch my kayak in the harbour?", "Is there a public jetty for canoes?"),
        true).status());
    assertEquals(200, editor.json("POST", base + "/publish", new JsonObject(), true).status());
    String question = "where can I launch my kayak in the harbour";
    HttpTestClient.Response saved = editor.json("POST", "/api/v1/admin/regression-cases", new JsonObject()
        .put("name", "Kayak launch").put("lang", "en")
        .put("turns", new JsonArray().add(new JsonObject().put("text", question))), true);
    assertEquals(201, saved.status(), saved.body());
    JsonObject expected = saved.json().getJsonArray("turns").getJsonObject(0);
    assertEquals("answered", expected.getString("outcome"), saved.body());
    assertEquals(slug, expected.getString("article"), "a turn without an expectation expects today's answer");
    String caseId = saved.json().getString("id");

    // a draft that moves the article to another topic: the saved answer would change, and nothing is published
    HttpTestClient.Response breaking = editor.json("PUT", base, article("Pottery classes are held on Tuesdays.",
        "When are the pottery classes at the community centre?"), true);
    int breakingRevision = breaking.json().getInteger("revision");
    JsonObject check = editor.json("POST", base + "/check", new JsonObject().put("revision", breakingRevision), true)
        .json();
    JsonObject affected = check.getJsonArray("results").stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("id").equals(caseId)).findFirst()
        .orElseThrow(() -> new AssertionError("the case is affected: " + check.encode()));
    JsonObject turn = affected.getJsonArray("turns").getJsonObject(0);
    assertTrue(turn.getBoolean("changes") && turn.getBoolean("fails"), turn.encode());
    assertEquals(slug, turn.getJsonObject("now").getString("article"));
    assertNotEquals(slug, turn.getJsonObject("after").getString("article"), turn.encode());
    assertEquals(slug, answeredSlug(question), "a check publishes nothing");

    // a draft that only rewords the answer changes no saved answer
    HttpTestClient.Response harmless = editor.json("PUT", base, article("Kayaks, canoes and paddle boards may be"
        + " launched from the public jetty.", "Where can I launch my kayak in the harbour?",
        "Is there a public jetty for canoes?"), true);
    JsonObject clean = editor.json("POST", base + "/check", new JsonObject()
        .put("revision", harmless.json().getInteger("revision")), true).json();
    assertTrue(clean.getJsonArray("results").stream().map(JsonObject.class::cast)
        .noneMatch(r -> r.getString("id").equals(caseId)), clean.encode());
    assertTrue(clean.getInteger("cases") >= 1, clean.encode());
    JsonObject unpublishing = editor.json("POST", base + "/check", new JsonObject().put("unpublish", true), true)
        .json();
    assertTrue(unpublishing.getJsonArray("results").stream().map(JsonObject.class::cast)
        .anyMatch(r -> r.getString("id").equals(caseId)), "unpublishing the article would change the answer");

    JsonObject run = editor.json("POST", "/api/v1/admin/regression-cases/run", new JsonObject(), true).json();
    assertTrue(run.getJsonArray("results").stream().map(JsonObject.class::cast)
        .noneMatch(r -> r.getString("id").equals(caseId)), "the case passes today: " + run.encode());

    StaffClient neighbour = StaffServer.loggedIn(StaffServer.user("nabo", Role.EDITOR));
    assertTrue(!neighbour.get("/api/v1/admin/regression-cases").body().contains(caseId), "another tenant's cases");
    assertEquals(404, neighbour.json("DELETE", "/api/v1/admin/regression-cases/" + caseId, new JsonObject(), true)
        .status());
    HttpTestClient.Response empty = editor.json("POST", "/api/v1/admin/regression-cases", new JsonObject()
        .put("name", "x").put("lang", "en").put("turns", new JsonArray()), true);
    assertEquals(400, empty.status(), empty.body());
    assertEquals("turns", empty.json().getString("field"));
    assertEquals(204, editor.json("DELETE", "/api/v1/admin/regression-cases/" + caseId, new JsonObject(), true)
        .status());
    assertEquals(404, editor.json("DELETE", "/api/v1/admin/regression-cases/" + caseId, new JsonObject(), true)
        .status());
  }

  private static String answeredSlug(String question) {
    JsonObject reply = ask(question);
    return reply.getString("outcome").equals("answered")
        ? reply.getJsonArray("articles").getJsonObject(0).getString("slug") : "";
  }

  private static String replyText(String question) {
    return ask(question).getJsonArray("replies").getJsonObject(0).getString("text");
  }

  /** A new citizen's conversation with one question, through the chat API; the reply carries its id. */
  static JsonObject ask(String question) {
    HttpTestClient http = StaffServer.shared().http;
    HttpTestClient.Response started = http.post("/api/v1/conversations",
        new JsonObject().put("channel", "web").put("lang", "en"));
    String id = started.json().getString("id");
    HttpTestClient.Response reply = http.post("/api/v1/conversations/" + id + "/messages",
        new JsonObject().put("text", question));
    assertEquals(200, reply.status(), reply.body());
    return reply.json().put("conversationId", id);
  }

  static String conversationId(JsonObject reply) {
    return reply.getString("conversationId");
  }
}
