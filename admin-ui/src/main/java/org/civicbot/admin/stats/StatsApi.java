package org.civicbot.admin.stats;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.civicbot.admin.Access;
import org.civicbot.admin.HttpJson;
import org.civicbot.admin.staff.Role;
import org.civicbot.admin.staff.StaffPrincipal;

import java.time.LocalDate;
import java.util.Optional;

/**
 * {@code GET /api/v1/admin/stats?from=&to=[&channel=web|phone][&tenant=T]} of DESIGN (role {@code manager}): a
 * user's own tenant; the operator any tenant, or every tenant with {@code tenant=all}.
 */
public final class StatsApi {
  private final Statistics statistics;
  private final String defaultTenant;

  public StatsApi(Statistics statistics, String defaultTenant) {
    this.statistics = statistics;
    this.defaultTenant = defaultTenant;
  }

  public void mount(Router router) {
    router.get("/api/v1/admin/stats").handler(this::stats);
  }

  private void stats(RoutingContext ctx) {
    Optional<StaffPrincipal> who = Access.require(ctx, Role.MANAGER);
    if (who.isEmpty()) {
      return;
    }
    Optional<String> tenant;
    if (who.get().isOperator() && "all".equals(ctx.queryParams().get("tenant"))) {
      tenant = Optional.empty();
    } else {
      Optional<Access.Scoped> scoped = Access.scoped(ctx, defaultTenant, Role.MANAGER);
      if (scoped.isEmpty()) {
        return;
      }
      tenant = Optional.of(scoped.get().tenant());
    }
    Optional<LocalDate[]> period = Access.period(ctx);
    if (period.isEmpty()) {
      return;
    }
    Optional<String> channel = Optional.ofNullable(ctx.queryParams().get("channel")).filter(c -> !c.isBlank());
    if (channel.isPresent() && !channel.get().equals("web") && !channel.get().equals("phone")) {
      ctx.fail(400, new IllegalArgumentException("\"channel\" must be \"web\" or \"phone\"."));
      return;
    }
    statistics.figures(tenant, period.get()[0], period.get()[1], channel)
        .onSuccess(json -> HttpJson.send(ctx, json))
        .onFailure(ctx::fail);
  }
}
