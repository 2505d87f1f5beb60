package org.civicbot.admin.staff;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** A staff account: one person in one tenant with one or more roles. */
public record StaffUser(UUID id, String tenantId, String email, String name, Set<Role> roles, boolean disabled,
                        Instant createdAt) {

  public StaffUser {
    roles = Set.copyOf(roles);
  }
}
