package org.civicbot.admin.staff;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Who makes a staff request: a user of one tenant with their roles, or the operator token (every tenant, every role).
 *
 * @param actor what the audit log records: the user's e-mail address, or {@code "operator"}
 * @param via   how they proved it: {@code session}, {@code token} (a personal API token) or {@code operator}
 */
public record StaffPrincipal(Optional<UUID> userId, String actor, String name, Optional<String> tenantId,
                             Set<Role> roles, String via) {

  public static final String OPERATOR = "operator";

  public StaffPrincipal {
    roles = Set.copyOf(roles);
  }

  public static StaffPrincipal operator() {
    return new StaffPrincipal(Optional.empty(), OPERATOR, "Operator", Optional.empty(), EnumSet.allOf(Role.class),
        OPERATOR);
  }

  public static StaffPrincipal of(StaffUser user, String via) {
    return new StaffPrincipal(Optional.of(user.id()), user.email(), user.name(), Optional.of(user.tenantId()),
        user.roles(), via);
  }

  public boolean isOperator() {
    return tenantId.isEmpty();
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  public boolean hasAny(Set<Role> wanted) {
    return wanted.stream().anyMatch(roles::contains);
  }

  /** Whether this principal may see data of {@code tenant}. */
  public boolean sees(String tenant) {
    return tenantId.map(tenant::equals).orElse(true);
  }

  /**
   * The tenant a request works on: a user's own tenant (a different {@code requested} one is refused by returning
   * empty), or for the operator the requested one, else {@code fallback}.
   */
  public Optional<String> tenantFor(Optional<String> requested, String fallback) {
    if (tenantId.isPresent()) {
      return requested.isEmpty() || requested.equals(tenantId) ? tenantId : Optional.empty();
    }
    return Optional.of(requested.orElse(fallback));
  }
}
