package org.civicbot.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {

  @Test
  void should_use_defaults_when_nothing_is_set() {
    Config config = Config.fromEnvironment(Map.of());

    assertEquals(8080, config.port());
    assertEquals(Path.of("data").toAbsolutePath().normalize(), config.dataDir());
    assertTrue(config.databaseUrl().isEmpty(), "unset means embedded");
    assertEquals("eksempel", config.defaultTenant());
  }

  @Test
  void should_print_no_secret() {
    Config config = Config.fromEnvironment(Map.of("CIVICBOT_ADMIN_TOKEN", "admin-secret-123456",
        "TWILIO_AUTH_TOKEN", "twilio-secret-987654", "PUBLIC_BASE_URL", "https://civicbot.example.dk",
        "CIVICBOT_DATABASE_URL", "postgresql://civicbot:db-secret-555@db.example.dk:5432/civicbot"));
    String printed = config.toString();
    for (String secret : List.of("admin-secret-123456", "twilio-secret-987654", "db-secret-555")) {
      assertFalse(printed.contains(secret), printed);
    }
    assertTrue(printed.contains("db.example.dk") && printed.contains("adminToken=Optional[****]"), printed);
    assertEquals("admin-secret-123456", config.adminToken().orElseThrow(), "the value itself is unchanged");
  }

  @ParameterizedTest
  @ValueSource(strings = {"eighty", "-1", "70000", "80 80"})
  void should_name_the_variable_of_a_bad_port(String port) {
    Config.ConfigException e = assertThrows(Config.ConfigException.class,
        () -> Config.fromEnvironment(Map.of("CIVICBOT_PORT", port)));

    assertTrue(e.getMessage().startsWith("CIVICBOT_PORT "), e.getMessage());
    assertTrue(e.getMessage().contains(port), e.getMessage());
  }

  @Test
  void should_refuse_a_database_url_that_is_not_postgresql_without_echoing_it() {
    Config.ConfigException e = assertThrows(Config.ConfigException.class,
        () -> Config.fromEnvironment(Map.of("CIVICBOT_DATABASE_URL", "mysql://root:secret@db/x")));

    assertTrue(e.getMessage().startsWith("CIVICBOT_DATABASE_URL "), e.getMessage());
    assertFalse(e.getMessage().contains("secret"), "the password must not be printed: " + e.getMessage());
  }

  @Test
  void should_name_the_variable_of_phone_hours_or_a_time_zone_it_cannot_read() {
    Config.ConfigException hours = assertThrows(Config.ConfigException.class,
        () -> Config.fromEnvironment(Map.of("CIVICBOT_PHONE_HOURS", "weekdays 8-16")));
    assertTrue(hours.getMessage().startsWith("CIVICBOT_PHONE_HOURS "), hours.getMessage());
    assertTrue(hours.getMessage().contains("weekdays"), hours.getMessage());
    Config.ConfigException zone = assertThrows(Config.ConfigException.class,
        () -> Config.fromEnvironment(Map.of("CIVICBOT_TIMEZONE", "Europe/Roskilde")));
    assertTrue(zone.getMessage().startsWith("CIVICBOT_TIMEZONE "), zone.getMessage());
    assertTrue(Config.fromEnvironment(Map.of()).phoneHours().isOpen(Instant.parse("2026-11-24T09:00:00Z")),
        "by default the line is staffed on a Tuesday morning");
    assertFalse(Config.fromEnvironment(Map.of()).phoneHours().isOpen(Instant.parse("2026-11-28T09:00:00Z")),
        "and not on a Saturday");
  }

  @Test
  void should_require_the_tokenizer_with_a_custom_embedding_model() {
    Config.ConfigException e = assertThrows(Config.ConfigException.class,
        () -> Config.fromEnvironment(Map.of("CIVICBOT_EMBEDDING_MODEL", "/models/e5.onnx")));

    assertTrue(e.getMessage().startsWith("CIVICBOT_EMBEDDING_TOKENIZER "), e.getMessage());
  }

  @Test
  void should_stop_startup_with_a_message_naming_a_bad_port() throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()))
        .redirectErrorStream(true);
    builder.environment().put("CIVICBOT_PORT", "not-a-port");
    builder.environment().put("CIVICBOT_DATA_DIR", Path.of("target", "bad-port-data").toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "startup did not stop");
    assertEquals(2, process.exitValue(), output);
    assertTrue(output.contains("CIVICBOT_PORT must be a port number"), output);
    assertFalse(output.contains("\tat "), "no stack trace: " + output);
  }
}
