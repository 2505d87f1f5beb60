package org.civicbot.admin;

import io.vertx.ext.web.RoutingContext;
import org.civicbot.admin.staff.Role;
import org.civicbot.admin.staff.StaffAuth;
import org.civicbot.admin.staff.StaffPrincipal;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The role and tenant checks every staff route makes: a role the route does not allow answers 403; another tenant's
 * data answers 404, exactly as if it did not exist.
 */
public final class Access {

  private Access() {
  }

  /** The principal when it holds one of {@code roles}; otherwise the request fails with 403 and this is empty. */
  public static Optional<StaffPrincipal> require(RoutingContext ctx, Role first, Role... more) {
    StaffPrincipal principal = StaffAuth.principal(ctx);
    Set<Role> allowed = EnumSet.of(first, more);
    if (!principal.hasAny(allowed)) {
      ctx.fail(403, new Forbidden("This needs the role " + String.join(" or ",
          allowed.stream().map(Role::wireName).toList()) + "."));
      return Optional.empty();
    }
    return Optional.of(principal);
  }

  /**
   * The tenant the request works on: a user's own ({@code ?tenant=} naming another answers 404), or for the operator
   * {@code ?tenant=} or the default tenant.
   */
  public static Optional<String> tenant(RoutingContext ctx, StaffPrincipal principal, String defaultTenant) {
    Optional<String> requested = Optional.ofNullable(ctx.queryParams().get("tenant")).filter(t -> !t.isBlank());
    Optional<String> tenant = principal.tenantFor(requested, defaultTenant);
    if (tenant.isEmpty()) {
      ctx.fail(404, new NotFound("There is no such tenant."));
    }
    return tenant;
  }

  /** Who asks and the tenant the request works on. */
  public record Scoped(StaffPrincipal who, String tenant) {
  }

  /**
   * The caller and tenant of a request that needs one of {@code roles}; empty when the request was failed (403 for
   * the role, 404 for another tenant).
   */
  public static Optional<Scoped> scoped(RoutingContext ctx, String defaultTenant, Role first, Role... more) {
    Optional<StaffPrincipal> who = require(ctx, first, more);
    return who.flatMap(w -> tenant(ctx, w, defaultTenant)).map(t -> new Scoped(who.get(), t));
  }

  /**
   * {@code ?from=&to=} as days (default: the 30 days up to today, UTC), at most two years apart; empty when the
   * request was failed with 400.
   */
  public static Optional<java.time.LocalDate[]> period(RoutingContext ctx) {
    try {
      java.time.LocalDate to = Optional.ofNullable(ctx.queryParams().get("to")).filter(s -> !s.isBlank())
          .map(java.time.LocalDate::parse).orElse(java.time.LocalDate.now(java.time.ZoneOffset.UTC));
      java.time.LocalDate from = Optional.ofNullable(ctx.queryParams().get("from")).filter(s -> !s.isBlank())
          .map(java.time.LocalDate::parse).orElse(to.minusDays(29));
      if (from.isAfter(to) || from.plusYears(2).isBefore(to)) {
        ctx.fail(400, new IllegalArgumentException("\"from\" must be on or before \"to\", at most two years apart."));
        return Optional.empty();
      }
      return Optional.of(new java.time.LocalDate[] {from, to});
    } catch (java.time.format.DateTimeParseException e) {
      ctx.fail(400, new IllegalArgumentException("\"from\" and \"to\" are days written YYYY-MM-DD."));
      return Optional.empty();
    }
  }

  /** Refused for the caller's roles; answered 403 with the message. */
  public static final class Forbidden extends IllegalArgumentException {
    public Forbidden(String message) {
      super(message);
    }
  }

  /** No such thing for this caller; answered 404 with the message. */
  public static final class NotFound extends IllegalArgumentException {
    public NotFound(String message) {
      super(message);
    }
  }
}
