package org.civicbot.admin.staff;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

import java.security.SecureRandom;

/**
 * Password hashing with Argon2id (password4j; OWASP's parameters: 19 MiB, 2 passes, 1 lane) and one-time passwords
 * for new accounts. Hashing takes tens of milliseconds on purpose: call it on a worker thread.
 */
public final class Passwords {
  private static final Argon2Function ARGON2 = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** No look-alike characters (0/O, 1/l/I): the password is read off a terminal and typed. */
  private static final char[] ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
  /** Compared against when the account does not exist, so a wrong e-mail costs as long as a wrong password. */
  private static final String DUMMY = hash("not a password of anyone");

  public static final int MIN_LENGTH = 12;
  public static final int MAX_LENGTH = 200;

  private Passwords() {
  }

  /** The PHC string ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}) to store. */
  public static String hash(String password) {
    return Password.hash(password).addRandomSalt(16).with(ARGON2).getResult();
  }

  /** Whether {@code password} matches {@code stored}; a missing hash never matches but takes as long. */
  public static boolean matches(String password, String stored) {
    if (password == null || password.length() > MAX_LENGTH) {
      return false;
    }
    if (stored == null) {
      Password.check(password, DUMMY).with(ARGON2);
      return false;
    }
    return Password.check(password, stored).with(Argon2Function.getInstanceFromHash(stored));
  }

  /** Burns the time of one check, for an unknown account. */
  public static void pretendCheck(String password) {
    matches(password == null ? "" : password, null);
  }

  /** A random password of 20 characters (about 115 bits). */
  public static String oneTime() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      b.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return b.toString();
  }
}
