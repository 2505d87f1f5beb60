package org.civicbot.admin.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.civicbot.admin.Access;
import org.civicbot.admin.HttpJson;
import org.civicbot.admin.staff.AuditLog;
import org.civicbot.admin.staff.Role;
import org.civicbot.bot.handoff.OpeningHours;
import org.civicbot.bot.handoff.StaffedHours;
import org.civicbot.knowledge.Language;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * A municipality's opening hours (role admin): when people answer the chat's queue and the phone, with public
 * holidays and closed days; outside them citizens are told when people are back and may leave a message. The page
 * {@code /admin/hours} and the API {@code GET/PUT /api/v1/admin/opening-hours} ({@code {"schedule"}}; blank: the
 * installation's default). A schedule that cannot be read is refused with the part quoted, and nothing changes.
 */
public final class HoursPages {
  private final Pages pages;
  private final StaffedHours hours;
  private final AuditLog audit;
  private final String defaultTenant;
  private final Clock clock;

  public HoursPages(Pages pages, StaffedHours hours, AuditLog audit, String defaultTenant, Clock clock) {
    this.pages = pages;
    this.hours = hours;
    this.audit = audit;
    this.defaultTenant = defaultTenant;
    this.clock = clock;
  }

  public void mount(Router router) {
    router.get("/admin/hours").handler(ctx -> admin(ctx, this::page));
    router.post("/admin/hours").handler(ctx -> admin(ctx, this::save));
    router.get("/api/v1/admin/opening-hours").handler(ctx -> admin(ctx, (c, s) -> HttpJson.send(c, json(s.tenant()))));
    router.put("/api/v1/admin/opening-hours").handler(ctx -> admin(ctx, this::put));
  }

  private void admin(RoutingContext ctx, BiConsumer<RoutingContext, Access.Scoped> handler) {
    Access.scoped(ctx, defaultTenant, Role.ADMIN).ifPresent(caller -> handler.accept(ctx, caller));
  }

  private JsonObject json(String tenant) {
    OpeningHours now = hours.of(tenant);
    Instant at = clock.instant();
    return new JsonObject().put("tenant", tenant).put("schedule", now.spec())
        .put("own", hours.ownSchedule(tenant).isPresent()).put("default", hours.defaults().spec())
        .put("timeZone", now.zone().getId()).put("open", now.isOpen(at))
        .put("nextOpening", now.nextOpening(at).map(t -> t.toOffsetDateTime().toString()).orElse(null));
  }

  private void page(RoutingContext ctx, Access.Scoped c) {
    pages.render(ctx, "hours", model(ctx, c, Optional.empty(), Optional.empty()));
  }

  private Map<String, Object> model(RoutingContext ctx, Access.Scoped c, Optional<String> written,
                                    Optional<String> error) {
    Map<String, Object> m = pages.model(ctx, Optional.of(c.who()), "hours.title", "hours");
    OpeningHours now = hours.of(c.tenant());
    Language lang = pages.lang(ctx);
    Instant at = clock.instant();
    m.put("schedule", written.orElse(now.spec()));
    m.put("own", hours.ownSchedule(c.tenant()).isPresent());
    m.put("defaultSchedule", hours.defaults().spec());
    m.put("zone", now.zone().getId());
    m.put("open", now.isOpen(at));
    m.put("back", now.describeNextOpening(at, lang));
    error.ifPresent(e -> m.put("error", e));
    return m;
  }

  private void save(RoutingContext ctx, Access.Scoped c) {
    String schedule = Optional.ofNullable(ctx.request().getFormAttribute("schedule")).orElse("");
    hours.set(c.tenant(), schedule, c.who().actor())
        .compose(v -> audit.record(Optional.of(c.tenant()), c.who().actor(), "hours.set", c.tenant(),
            new JsonObject().put("schedule", schedule.strip()).put("via", c.who().via())))
        .onSuccess(v -> {
          pages.notice(ctx, pages.text().get(pages.lang(ctx), "hours.saved"));
          ctx.response().setStatusCode(303).putHeader("location", "/admin/hours").end();
        })
        .onFailure(e -> {
          if (e instanceof IllegalArgumentException) {
            pages.render(ctx, 400, "hours", model(ctx, c, Optional.of(schedule), Optional.of(e.getMessage())));
          } else {
            ctx.fail(e);
          }
        });
  }

  private void put(RoutingContext ctx, Access.Scoped c) {
    Optional<JsonObject> body = HttpJson.body(ctx);
    if (body.isEmpty()) {
      return;
    }
    if (!(body.get().getValue("schedule") instanceof String schedule)) {
      ctx.fail(400, new IllegalArgumentException("Opening hours need a \"schedule\", such as"
          + " \"mon-thu 08:00-15:00; fri 08:00-13:00; holidays\" (blank: the default)."));
      return;
    }
    hours.set(c.tenant(), schedule, c.who().actor())
        .compose(v -> audit.record(Optional.of(c.tenant()), c.who().actor(), "hours.set", c.tenant(),
            new JsonObject().put("schedule", schedule.strip()).put("via", c.who().via())))
        .onSuccess(v -> HttpJson.send(ctx, json(c.tenant())))
        .onFailure(e -> ctx.fail(e instanceof IllegalArgumentException ? 400 : 500, e));
  }
}
