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
