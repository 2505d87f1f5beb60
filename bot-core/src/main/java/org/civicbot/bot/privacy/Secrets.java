package org.civicbot.bot.privacy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Settings printed without their secrets: a record's {@code toString()} with the named components masked, and the
 * password of any {@code scheme://user:password@host} URL among the others hidden too. A setting reaches a log
 * sooner or later (a startup line, an exception message); a token or password must not go with it.
 */
public final class Secrets {
  public static final String MASK = "****";
  private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@\\s]+:)[^@\\s]+@");

  private Secrets() {
  }

  /** {@code Name[a=1, token=****, ...]}, as a record prints itself, with {@code secret} components masked. */
  public static String toString(Record record, Set<String> secret) {
    StringJoiner fields = new StringJoiner(", ", record.getClass().getSimpleName() + "[", "]");
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      Object value;
      try {
        value = c.getAccessor().invoke(record);
      } catch (IllegalAccessException | InvocationTargetException e) {
        value = "?";
      }
      fields.add(c.getName() + "=" + (secret.contains(c.getName()) ? mask(value) : withoutPasswords(value)));
    }
    return fields.toString();
  }

  /** {@code text} with the password of every URL in it replaced by the mask. */
  public static String withoutPasswords(Object text) {
    return URL_PASSWORD.matcher(String.valueOf(text)).replaceAll("$1" + MASK + "@");
  }

  private static String mask(Object value) {
    if (value instanceof Optional<?> optional) {
      return optional.isPresent() ? "Optional[" + MASK + "]" : "Optional.empty";
    }
    return value == null ? "null" : MASK;
  }
}
