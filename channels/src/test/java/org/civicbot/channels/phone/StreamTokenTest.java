package org.civicbot.channels.phone;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamTokenTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private final StreamToken tokens = new StreamToken("auth-token-of-the-account");
  private final String token = tokens.issue("CA1", "eksempel", "+4520304050", NOW.plusSeconds(120));

  @Test
  void should_admit_the_stream_it_was_issued_for() {
    assertEquals(Optional.empty(), tokens.refusal(token, "CA1", "eksempel", "+4520304050", NOW));
    assertEquals(Optional.empty(), tokens.refusal(token, "CA1", "eksempel", "+4520304050", NOW.plusSeconds(120)));
  }

  @Test
  void should_refuse_another_call_tenant_caller_expiry_or_key() {
    assertTrue(tokens.refusal(token, "CA2", "eksempel", "+4520304050", NOW).isPresent(), "another CallSid");
    assertTrue(tokens.refusal(token, "CA1", "other", "+4520304050", NOW).isPresent(), "another tenant");
    assertTrue(tokens.refusal(token, "CA1", "eksempel", "+4599999999", NOW).isPresent(), "another caller");
    assertEquals(Optional.of("an expired stream token"),
        tokens.refusal(token, "CA1", "eksempel", "+4520304050", NOW.plusSeconds(121)));
    assertTrue(new StreamToken("another-account").refusal(token, "CA1", "eksempel", "+4520304050", NOW).isPresent(),
        "made with another auth token");
    String later = token.replaceFirst("\\.[0-9]+\\.", "." + NOW.plusSeconds(99_999).getEpochSecond() + ".");
    assertTrue(tokens.refusal(later, "CA1", "eksempel", "+4520304050", NOW.plusSeconds(500)).isPresent(),
        "an expiry moved later no longer matches its signature");
  }

  @Test
  void should_refuse_missing_and_malformed_tokens_with_a_reason() {
    assertEquals(Optional.of("no stream token"), tokens.refusal(null, "CA1", "eksempel", "", NOW));
    assertEquals(Optional.of("a malformed stream token"), tokens.refusal("v1.abc.def", "CA1", "eksempel", "", NOW));
    assertEquals(Optional.of("a malformed stream token"), tokens.refusal("garbage", "CA1", "eksempel", "", NOW));
  }
}
