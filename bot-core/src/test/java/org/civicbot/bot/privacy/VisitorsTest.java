package org.civicbot.bot.privacy;

import org.junit.jupiter.api.Test;

import java.security.MessageDigest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A returning caller is recognized by a keyed hash of their number: the same for the same caller, unguessable. */
class VisitorsTest {

  @Test
  void should_recognize_the_same_caller_in_the_same_municipality_only() {
    byte[] first = Visitors.ofPhoneNumber("secret-a", "roskilde", "+4512345678");
    assertArrayEquals(first, Visitors.ofPhoneNumber("secret-a", "roskilde", "+45 12 34 56 78"),
        "written with spaces it is the same number");
    assertFalse(MessageDigest.isEqual(first, Visitors.ofPhoneNumber("secret-a", "roskilde", "+4512345679")));
    assertFalse(MessageDigest.isEqual(first, Visitors.ofPhoneNumber("secret-a", "lejre", "+4512345678")),
        "another municipality");
    assertEquals(32, first.length);
  }

  @Test
  void should_not_be_a_plain_digest_of_the_number() throws Exception {
    byte[] keyed = Visitors.ofPhoneNumber("secret-a", "roskilde", "+4512345678");
    assertFalse(MessageDigest.isEqual(keyed, Visitors.ofVisitorId("roskilde", "+4512345678")),
        "without the secret nobody can hash every number and compare");
    assertFalse(MessageDigest.isEqual(keyed, Visitors.ofPhoneNumber("secret-b", "roskilde", "+4512345678")));
    assertThrows(IllegalArgumentException.class, () -> Visitors.ofPhoneNumber("", "roskilde", "+4512345678"));
  }
}
