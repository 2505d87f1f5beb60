package org.civicbot.admin.staff;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What a staff user may do: {@code admin} users and settings, {@code editor} content, {@code agent} handoffs and
 * transcripts, {@code manager} statistics and audit reviews. */
public enum Role {
  ADMIN, EDITOR, AGENT, MANAGER;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code "editor,agent"}; an unknown role is an error that names it. */
  public static Set<Role> parseList(String list) {
    if (list == null || list.isBlank()) {
      throw new IllegalArgumentException("give at least one role of admin, editor, agent, manager");
    }
    return Arrays.stream(list.split(","))
        .map(String::strip)
        .filter(r -> !r.isEmpty())
        .map(Role::parse)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Role.class)));
  }

  public static Role parse(String name) {
    for (Role role : values()) {
      if (role.wireName().equals(name.strip().toLowerCase(Locale.ROOT))) {
        return role;
      }
    }
    throw new IllegalArgumentException("unknown role '" + name + "': the roles are admin, editor, agent, manager");
  }
}
