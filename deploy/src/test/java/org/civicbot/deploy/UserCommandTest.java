package org.civicbot.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code user add} and {@code user token} against the database of a running CivicBot, as the README runs them. */
class UserCommandTest {
  private static RunningCivicBot civicbot;

  @BeforeAll
  static void start() {
    civicbot = StaffServer.shared();
  }

  record Run(int exit, String out, String err) {
    String lastLine() {
      String[] lines = out.strip().split("\n");
      return lines[lines.length - 1].strip();
    }
  }

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = UserCommand.run(Config.fromEnvironment(civicbot.env), args,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void should_add_a_user_whose_one_time_password_logs_in_and_issue_a_token() {
    String email = "ida-" + System.nanoTime() + "@eksempel.example";
    Run added = run("add", "--tenant", "eksempel", "--role", "editor,agent", "--email", email, "--name", "Ida");
    assertEquals(0, added.exit(), added.err());
    String password = added.lastLine();
    assertEquals(20, password.length(), added.out());
    StaffClient client = new StaffClient(civicbot.port());
    assertEquals(302, client.login(email, password).status(), "the printed password logs in");
    assertEquals(200, client.get("/admin/articles").status());

    Run token = run("token", "--email", email);
    assertEquals(0, token.exit(), token.err());
    assertEquals(200, civicbot.http.get("/api/v1/admin/articles", Map.of("authorization", "Bearer "
        + token.lastLine())).status());

    Run again = run("add", "--tenant", "eksempel", "--role", "editor", "--email", email);
    assertEquals(1, again.exit());
    assertTrue(again.err().contains("exists already"), again.err());
    Run badRole = run("add", "--tenant", "eksempel", "--role", "boss", "--email", "x@y.example");
    assertEquals(2, badRole.exit());
    assertTrue(badRole.err().contains("unknown role 'boss'"), badRole.err());
    Run disabled = run("disable", "--email", email);
    assertEquals(0, disabled.exit(), disabled.err());
    assertEquals(302, client.get("/admin/articles").status(), "a disabled user's session stops working");
  }
}
