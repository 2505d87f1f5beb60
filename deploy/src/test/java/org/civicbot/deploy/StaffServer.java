package org.civicbot.deploy;

import org.civicbot.admin.staff.Passwords;
import org.civicbot.admin.staff.Role;
import org.civicbot.admin.staff.StaffDirectory;
import org.civicbot.admin.staff.StaffUser;
import org.civicbot.knowledge.store.ArticleStore;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.civicbot.knowledge.testing.Await.await;

/**
 * The CivicBot the staff tests share: its own instance (editors publish into its knowledge base, which the chat tests
 * must not see), started once per test JVM, and a way to make staff users in it.
 */
final class StaffServer {
  private static RunningCivicBot shared;
  private static final AtomicInteger USERS = new AtomicInteger();

  private StaffServer() {
  }

  static synchronized RunningCivicBot shared() {
    if (shared == null) {
      // people are always in, whatever the time of day the tests run at; a test that needs them out sets the hours
      shared = RunningCivicBot.start(Map.of("CIVICBOT_PHONE_HOURS", "always"));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> await(shared.bot.stop()), "staff-civicbot-stop"));
    }
    return shared;
  }

  /** A user with a fresh e-mail address and the password {@link #PASSWORD}. */
  static StaffUser user(String tenant, Role... roles) {
    return named(tenant, "Test " + roles[0].wireName(), roles);
  }

  /** A user called {@code name} (what citizens see of an agent) with a fresh e-mail address. */
  static StaffUser named(String tenant, String name, Role... roles) {
    RunningCivicBot bot = shared();
    await(ArticleStore.create(bot.bot.database().pool()).ensureTenant(tenant, tenant));
    String email = "staff" + USERS.incrementAndGet() + "-" + System.nanoTime() + "@" + tenant + ".example";
    return await(StaffDirectory.create(bot.bot.database().pool()).create(tenant, email, name, Set.of(roles), HASH));
  }

  static final String PASSWORD = "correct horse battery staple";
  private static final String HASH = Passwords.hash(PASSWORD);

  /** A logged-in client of {@code user}. */
  static StaffClient loggedIn(StaffUser user) {
    StaffClient client = new StaffClient(shared().port());
    HttpTestClient.Response login = client.login(user.email(), PASSWORD);
    if (login.status() != 302) {
      throw new IllegalStateException("login failed: " + login.status());
    }
    client.get(login.header("location"));
    return client;
  }
}
