package org.civicbot.bot.privacy;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * How a returning citizen is recognized without storing who they are: a hash of the tenant and something the citizen
 * brings again (the widget's random visitor id, a caller's number). Only the hash is stored, with the conversation,
 * and it is deleted with it; it serves the 24-hour return that re-judges an assumed resolution (DESIGN).
 */
public final class Visitors {
  private Visitors() {
  }

  /** The widget's visitor id is random (not personal data in itself): a plain SHA-256 will do. */
  public static byte[] ofVisitorId(String tenant, String visitorId) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes(tenant, visitorId));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A phone number is personal data and there are few of them (every Danish number can be hashed in minutes), so its
   * hash is keyed with a secret of the installation: HMAC-SHA256, not a plain digest.
   */
  public static byte[] ofPhoneNumber(String secret, String tenant, String number) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("a keyed hash needs a secret");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(bytes(tenant, number.replaceAll("[^0-9+]", "")));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(String tenant, String value) {
    return (tenant + "\n" + value).getBytes(StandardCharsets.UTF_8);
  }
}
