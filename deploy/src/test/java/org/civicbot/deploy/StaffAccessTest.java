package org.civicbot.deploy;

import io.vertx.core.json.JsonObject;
import org.civicbot.admin.staff.Role;
import org.civicbot.admin.staff.StaffDirectory;
import org.civicbot.admin.staff.StaffUser;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.civicbot.knowledge.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Staff access on a running CivicBot over real HTTP: logins (wrong password, lockout, logout, expiry), the session
 * cookie's flags, CSRF rejection, personal tokens, and for every route group the tenant (404) and role (403) checks.
 */
class StaffAccessTest {
  private static RunningCivicBot civicbot;

  @BeforeAll
  static void start() {
    civicbot = StaffServer.shared();
  }

  @Test
  void should_log_in_with_the_right_password_only_with_a_fresh_strict_session_cookie() {
    StaffUser editor = StaffServer.user("eksempel", Role.EDITOR);
    StaffClient client = new StaffClient(civicbot.port());
    client.get("/admin/login");
    HttpTestClient.Response wrong = client.postForm("/admin/login", Map.of("email", editor.email(),
        "password", "not the password", "next", "/admin/articles"));
    assertEquals(401, wrong.status());
    assertTrue(wrong.body().contains("role=\"alert\""), "the error is announced");
    assertEquals(302, client.get("/admin/articles").status(), "still not logged in");
    String before = client.setCookies.stream().filter(c -> c.startsWith("civicbot-staff=")).reduce((a, b) -> b)
        .orElseThrow();

    HttpTestClient.Response right = client.postForm("/admin/login", Map.of("email", editor.email().toUpperCase(),
        "password", StaffServer.PASSWORD, "next", "/admin/articles"));
    assertEquals(302, right.status());
    assertEquals("/admin/articles", right.header("location"));
    String after = client.setCookies.stream().filter(c -> c.startsWith("civicbot-staff=")).reduce((a, b) -> b)
        .orElseThrow();
    assertNotEquals(before.split(";")[0], after.split(";")[0], "a new session id at login");
    String flags = after.toLowerCase();
    assertTrue(flags.contains("httponly") && flags.contains("secure") && flags.contains("samesite=strict"), after);
    HttpTestClient.Response page = client.get("/admin/articles");
    assertEquals(200, page.status());
    assertTrue(page.body().contains("about-assistant"), "the tenant's articles are listed");
  }

  @Test
  void should_not_follow_a_login_link_to_another_site() {
    StaffUser editor = StaffServer.user("eksempel", Role.EDITOR);
    StaffClient client = new StaffClient(civicbot.port());
    client.get("/admin/login");
    HttpTestClient.Response login = client.postForm("/admin/login", Map.of("email", editor.email(),
        "password", StaffServer.PASSWORD, "next", "//evil.example/admin/"));
    assertEquals("/admin/", login.header("location"));
  }

  @Test
  void should_lock_an_account_after_five_failures_even_for_the_right_password() {
    StaffUser agent = StaffServer.user("eksempel", Role.AGENT);
    StaffClient client = new StaffClient(civicbot.port());
    client.get("/admin/login");
    for (int i = 0; i < 5; i++) {
      assertEquals(401, client.postForm("/admin/login", Map.of("email", agent.email(), "password", "guess " + i))
          .status());
    }
    HttpTestClient.Response locked = client.postForm("/admin/login", Map.of("email", agent.email(),
        "password", StaffServer.PASSWORD));
    assertEquals(429, locked.status());
    assertTrue(locked.body().contains("15"), "says when to try again: " + locked.body());
    // another account from the same client is not locked by it
    StaffUser other = StaffServer.user("eksempel", Role.AGENT);
    assertEquals(302, new StaffClient(civicbot.port()).login(other.email(), StaffServer.PASSWORD).status());
  }

  @Test
  void should_end_the_session_at_logout_and_when_it_expires() {
    StaffUser editor = StaffServer.user("eksempel", Role.EDITOR);
    StaffClient client = StaffServer.loggedIn(editor);
    assertEquals(200, client.get("/admin/articles").status());
    HttpTestClient.Response out = client.postForm("/admin/logout", Map.of());
    assertEquals(302, out.status());
    assertTrue(out.header("location").startsWith("/admin/login"));
    assertEquals(302, client.get("/admin/articles").status(), "logged out");

    StaffClient expiring = StaffServer.loggedIn(editor);
    assertEquals(200, expiring.get("/admin/articles").status());
    // a replica reads the sessions it wrote in the last few seconds from memory (PgSessionStore.RECENT_MILLIS), and
    // writes them after answering: let that write land and the memory pass before the rows expire
    sleep(3_500);
    await(civicbot.bot.database().pool().query("UPDATE staff_sessions SET expires_at = now() - interval '1 minute'")
        .execute());
    HttpTestClient.Response later = expiring.get("/admin/articles");
    assertEquals(302, later.status());
    assertTrue(later.header("location").startsWith("/admin/login"));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void should_refuse_state_changes_without_the_csrf_token() {
    StaffUser editor = StaffServer.user("eksempel", Role.EDITOR);
    StaffClient client = StaffServer.loggedIn(editor);
    assertEquals(403, client.postFormRaw("/admin/concepts", Map.of("concepts", "")).status());
    assertEquals(403, client.postFormRaw("/admin/concepts", Map.of("concepts", "", "X-XSRF-TOKEN", "forged"))
        .status());
    JsonObject draft = new JsonObject().put("title", "x");
    assertEquals(403, client.json("PUT", "/api/v1/admin/articles/csrf-check/en", draft, false).status());
    HttpTestClient.Response withToken = client.json("PUT", "/api/v1/admin/articles/csrf-check/en", draft, true);
    assertEquals(400, withToken.status(), "past CSRF, refused for its content: " + withToken.body());
    assertEquals("area", withToken.json().getString("field"));
    // a login form posted from elsewhere has no token either
    StaffClient stranger = new StaffClient(civicbot.port());
    assertEquals(403, stranger.postFormRaw("/admin/login", Map.of("email", editor.email(),
        "password", StaffServer.PASSWORD)).status());
  }

  @Test
  void should_accept_a_personal_token_until_it_is_revoked() {
    StaffUser editor = StaffServer.user("eksempel", Role.EDITOR);
    StaffDirectory directory = StaffDirectory.create(civicbot.bot.database().pool());
    String token = await(directory.issueToken(editor.id()));
    Map<String, String> bearer = Map.of("authorization", "Bearer " + token);
    assertEquals(200, civicbot.http.get("/api/v1/admin/articles?lang=da", bearer).status());
    assertEquals(1, await(directory.revokeTokens(editor.id())));
    assertEquals(401, civicbot.http.get("/api/v1/admin/articles?lang=da", bearer).status());
  }

  @Test
  void should_keep_each_tenant_to_itself_and_check_roles_on_every_route_group() {
    String neighbour = TestDatabase.uniqueTenant("nabo");
    StaffUser neighbourAgent = StaffServer.user(neighbour, Role.AGENT);
    StaffUser neighbourEditor = StaffServer.user(neighbour, Role.EDITOR);
    String ours = await(civicbot.bot.engine().start("eksempel", "web", Optional.empty(), Optional.of(Language.EN)))
        .conversation().id().toString();

    // another tenant's data: 404, exactly as if it did not exist
    StaffClient agentClient = StaffServer.loggedIn(neighbourAgent);
    assertEquals(404, agentClient.get("/api/v1/admin/conversations/" + ours).status());
    assertEquals(404, agentClient.json("POST", "/api/v1/admin/conversations/" + ours + "/messages",
        new JsonObject().put("text", "hello"), true).status());
    StaffClient editorClient = StaffServer.loggedIn(neighbourEditor);
    assertEquals(404, editorClient.get("/api/v1/admin/articles?tenant=eksempel").status());
    assertEquals(404, editorClient.get("/api/v1/admin/articles/about-assistant/en").status());
    assertEquals(404, editorClient.get("/admin/articles?tenant=eksempel").status());
    assertFalse(editorClient.get("/admin/articles").body().contains("about-assistant"), "no other tenant's articles");

    // roles, per route group
    StaffClient agent = StaffServer.loggedIn(StaffServer.user("eksempel", Role.AGENT));
    StaffClient editor = StaffServer.loggedIn(StaffServer.user("eksempel", Role.EDITOR));
    StaffClient manager = StaffServer.loggedIn(StaffServer.user("eksempel", Role.MANAGER));
    StaffClient admin = StaffServer.loggedIn(StaffServer.user("eksempel", Role.ADMIN));
    for (String path : new String[] {"/api/v1/admin/articles", "/api/v1/admin/articles/about-assistant/en",
        "/api/v1/admin/gaps", "/admin/articles", "/admin/gaps", "/admin/console", "/admin/concepts"}) {
      assertEquals(403, agent.get(path).status(), "agent on " + path);
      assertEquals(403, manager.get(path).status(), "manager on " + path);
      assertEquals(200, editor.get(path).status(), "editor on " + path);
    }
    assertEquals(403, agent.json("PUT", "/api/v1/admin/articles/x/en", new JsonObject(), true).status());
    for (String path : new String[] {"/api/v1/admin/conversations/" + ours, "/api/v1/admin/callbacks"}) {
      assertEquals(403, editor.get(path).status(), "editor on " + path);
      assertEquals(200, agent.get(path).status(), "agent on " + path);
    }
    assertEquals(200, manager.get("/api/v1/admin/conversations/" + ours).status(), "managers read transcripts");
    assertEquals(403, editor.get("/admin/audit").status());
    assertEquals(403, admin.get("/admin/articles").status(), "admin is not editor");
    HttpTestClient.Response audit = admin.get("/admin/audit?action=transcript.read");
    assertEquals(200, audit.status());
    assertTrue(audit.body().contains(ours), "transcript reads are audited");
    assertTrue(admin.get("/admin/audit?action=login").body().contains("login"), "logins are audited");
    assertFalse(admin.get("/admin/audit").body().contains(neighbourAgent.email()),
        "the audit log shows one tenant only");
  }

  @Test
  void should_let_the_operator_token_reach_every_tenant() {
    String neighbour = TestDatabase.uniqueTenant("drift");
    StaffServer.user(neighbour, Role.EDITOR);
    Map<String, String> operator = Map.of("authorization", "Bearer " + RunningCivicBot.ADMIN_TOKEN);
    assertEquals(200, civicbot.http.get("/api/v1/admin/articles?tenant=" + neighbour, operator).status());
    assertEquals(200, civicbot.http.get("/api/v1/admin/articles", operator).status());
    assertEquals(401, civicbot.http.get("/api/v1/admin/articles", Map.of("authorization", "Bearer nope")).status());
  }
}
