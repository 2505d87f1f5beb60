package org.civicbot.deploy;

import org.civicbot.admin.staff.Role;
import org.civicbot.admin.staff.StaffUser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admins' user management and the users' own account page over real HTTP: a user added with roles logs in with
 * the one-time password shown once, roles and blocking apply at the next request, nobody outside the tenant or
 * without the admin role reaches them, an admin cannot lock themselves out, and a password change needs the current
 * password.
 */
class UsersPagesTest {
  private static final Pattern SECRET = Pattern.compile("<code class=\"secret-value\" id=\"secret-value\">([^<]+)</code>");
  private static final Pattern USER_LINK = Pattern.compile("href=\"/admin/users/([0-9a-f-]{36})\">([^<]+)</a>");

  @BeforeAll
  static void start() {
    StaffServer.shared();
  }

  private static String secret(HttpTestClient.Response page) {
    Matcher m = SECRET.matcher(page.body());
    assertTrue(m.find(), "the one-time secret is shown: " + page.body());
    return m.group(1);
  }

  private static StaffClient logIn(String email, String password) {
    StaffClient client = new StaffClient(StaffServer.shared().port());
    HttpTestClient.Response login = client.login(email, password);
    assertEquals(302, login.status(), "logged in as " + email);
    return client;
  }

  @Test
  void should_add_a_user_who_logs_in_with_the_one_time_password_and_follow_role_and_block_changes() {
    StaffUser adminUser = StaffServer.user("eksempel", Role.ADMIN);
    StaffClient admin = StaffServer.loggedIn(adminUser);
    String email = "new-editor-" + System.nanoTime() + "@eksempel.example";
    HttpTestClient.Response added = admin.postPairs("/admin/users", "email", email, "name", "Mette Hansen",
        "role", "editor", "role", "agent");
    assertEquals(200, added.status(), added.body());
    assertEquals("no-store", added.header("cache-control"), "the page with the password is never cached");
    String password = secret(added);
    assertEquals(20, password.length());

    StaffClient mette = logIn(email, password);
    assertEquals(200, mette.get("/admin/articles").status(), "an editor");
    assertEquals(403, mette.get("/admin/users").status(), "not an admin");

    Matcher link = USER_LINK.matcher(admin.get("/admin/users").body());
    String id = null;
    while (link.find()) {
      if (link.group(2).equals("Mette Hansen")) {
        id = link.group(1);
      }
    }
    assertTrue(id != null, "the new user is listed");
    assertEquals(302, admin.postPairs("/admin/users/" + id, "do", "roles", "role", "agent").status());
    assertEquals(403, mette.get("/admin/articles").status(), "the editor role is gone at the next request");
    assertEquals(302, admin.postPairs("/admin/users/" + id, "do", "block").status());
    assertEquals(302, mette.get("/admin/").status(), "a blocked user's session stops working");
    assertEquals(401, new StaffClient(StaffServer.shared().port()).login(email, password).status(),
        "and they cannot log in");

    HttpTestClient.Response reset = admin.postPairs("/admin/users/" + id, "do", "password");
    String second = secret(reset);
    assertEquals(302, admin.postPairs("/admin/users/" + id, "do", "unblock").status());
    assertEquals(401, new StaffClient(StaffServer.shared().port()).login(email, password).status(),
        "the old password no longer works");
    logIn(email, second);

    String audit = admin.get("/admin/audit").body();
    assertTrue(audit.contains("user.add") && audit.contains("user.roles") && audit.contains("user.disable"), audit);
  }

  @Test
  void should_keep_users_to_their_tenant_and_admins_from_locking_themselves_out() {
    StaffUser adminUser = StaffServer.user("eksempel", Role.ADMIN);
    StaffClient admin = StaffServer.loggedIn(adminUser);
    StaffUser neighbour = StaffServer.user("nabo", Role.EDITOR);
    assertEquals(404, admin.get("/admin/users/" + neighbour.id()).status(), "another tenant's user");
    assertEquals(404, admin.postPairs("/admin/users/" + neighbour.id(), "do", "block").status());
    assertFalse(admin.get("/admin/users").body().contains(neighbour.email()));
    assertEquals(403, StaffServer.loggedIn(StaffServer.user("eksempel", Role.EDITOR)).get("/admin/users/"
        + adminUser.id()).status(), "an editor reaches no user page");

    assertEquals(400, admin.postPairs("/admin/users/" + adminUser.id(), "do", "block").status());
    assertEquals(400, admin.postPairs("/admin/users/" + adminUser.id(), "do", "roles", "role", "editor").status());
    assertEquals(200, admin.get("/admin/users").status(), "still an admin");
    assertEquals(400, admin.postPairs("/admin/users", "email", "not-an-address", "role", "editor").status());
    assertEquals(400, admin.postPairs("/admin/users", "email", "x@eksempel.example", "role", "owner").status());
    assertEquals(403, admin.postFormRaw("/admin/users", Map.of("email", "csrf@eksempel.example", "role", "editor"))
        .status(), "no form without the CSRF token");
  }

  @Test
  void should_change_the_own_password_only_with_the_current_one_and_issue_a_personal_token() {
    StaffUser user = StaffServer.user("eksempel", Role.EDITOR);
    StaffClient client = StaffServer.loggedIn(user);
    assertEquals(200, client.get("/admin/account").status());
    String fresh = "a brand new passphrase " + System.nanoTime();
    assertEquals(400, client.postPairs("/admin/account", "do", "password", "current", "wrong password",
        "password", fresh, "repeat", fresh).status());
    assertEquals(400, client.postPairs("/admin/account", "do", "password", "current", StaffServer.PASSWORD,
        "password", fresh, "repeat", fresh + "x").status());
    assertEquals(400, client.postPairs("/admin/account", "do", "password", "current", StaffServer.PASSWORD,
        "password", "short", "repeat", "short").status());
    assertEquals(302, client.postPairs("/admin/account", "do", "password", "current", StaffServer.PASSWORD,
        "password", fresh, "repeat", fresh).status());
    assertEquals(401, new StaffClient(StaffServer.shared().port()).login(user.email(), StaffServer.PASSWORD)
        .status());
    logIn(user.email(), fresh);

    String token = secret(client.postPairs("/admin/account", "do", "token"));
    assertTrue(token.startsWith("cbt_"), token);
    HttpTestClient.Response api = StaffServer.shared().http.get("/api/v1/admin/articles?lang=en",
        Map.of("authorization", "Bearer " + token));
    assertEquals(200, api.status(), "the token works for the admin API with the user's roles");
    assertEquals(403, StaffServer.shared().http.get("/api/v1/admin/users", Map.of("authorization",
        "Bearer " + token)).status());
  }
}
