package org.civicbot.channels.phone;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The short-lived token that binds a Media Stream to the call whose signed {@code /twilio/voice} webhook asked for
 * it: an HMAC-SHA256 over the CallSid, the tenant, the caller's number and the expiry, keyed by the account's auth
 * token (with a label of its own, so the key is not used as Twilio uses it). {@code /twilio/voice} puts it in the
 * TwiML's stream parameters; the stream's {@code start} must carry it with the same CallSid, tenant and caller before
 * anything is created. Format: {@code v1.<expiry epoch seconds>.<base64url mac>}. Immutable and thread-safe.
 */
public final class StreamToken {

  private static final String VERSION = "v1";
  private static final String LABEL = "civicbot media stream token\n";

  private final byte[] key;

  public StreamToken(String authToken) {
    this.key = (LABEL + authToken).getBytes(StandardCharsets.UTF_8);
  }

  /** A token for {@code callSid} of {@code tenant} from {@code caller} (empty when not known), valid until {@code expiry}. */
  public String issue(String callSid, String tenant, String caller, Instant expiry) {
    long seconds = expiry.getEpochSecond();
    return VERSION + "." + seconds + "." + mac(callSid, tenant, caller, seconds);
  }

  /**
   * Why {@code token} does not admit a stream for {@code callSid}, {@code tenant} and {@code caller} at {@code now}, or
   * empty when it does.
   */
  public Optional<String> refusal(String token, String callSid, String tenant, String caller, Instant now) {
    if (token == null || token.isBlank()) {
      return Optional.of("no stream token");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || !parts[0].equals(VERSION) || !parts[1].matches("[0-9]{1,12}")) {
      return Optional.of("a malformed stream token");
    }
    long expiry = Long.parseLong(parts[1]);
    byte[] expected = mac(callSid, tenant, caller, expiry).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII))) {
      return Optional.of("a stream token of another call");
    }
    if (now.getEpochSecond() > expiry) {
      return Optional.of("an expired stream token");
    }
    return Optional.empty();
  }

  private String mac(String callSid, String tenant, String caller, long expiry) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      String message = String.join("\n", VERSION, nullToEmpty(callSid), nullToEmpty(tenant), nullToEmpty(caller),
          Long.toString(expiry));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
