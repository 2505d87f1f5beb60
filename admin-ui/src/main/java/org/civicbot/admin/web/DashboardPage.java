package org.civicbot.admin.web;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.civicbot.admin.Access;
import org.civicbot.admin.stats.ConversationExport;
import org.civicbot.admin.stats.Statistics;
import org.civicbot.admin.staff.AuditLog;
import org.civicbot.admin.staff.Role;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The managers' dashboard (role {@code manager}): the figures of {@code GET /api/v1/admin/stats} for a period beside
 * the previous period of the same length, the endings per day as a stacked chart (Chart.js) with the same numbers in
 * a table, by channel and language, and the articles answered with most; the per-day figures as CSV.
 */
public final class DashboardPage {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DashboardPage.class);
  static final List<String> SERIES = List.of("confirmed", "assumed", "escalated", "unresolved", "abandoned");

  private final Pages pages;
  private final Statistics statistics;
  private final ConversationExport export;
  private final AuditLog audit;
  private final String defaultTenant;

  public DashboardPage(Pages pages, Statistics statistics, ConversationExport export, AuditLog audit,
                       String defaultTenant) {
    this.pages = pages;
    this.statistics = statistics;
    this.export = export;
    this.audit = audit;
    this.defaultTenant = defaultTenant;
  }

  public void mount(Router router) {
    router.get("/admin/dashboard").handler(ctx -> manager(ctx, this::page));
    router.get("/admin/dashboard.csv").handler(ctx -> manager(ctx, this::csv));
    router.get("/admin/dashboard/conversations.csv").handler(ctx -> manager(ctx, this::conversations));
    router.post("/admin/dashboard/minutes").handler(this::minutes);
  }

  /** An admin sets the tenant's estimate of staff minutes per conversation (for the hours saved). */
  private void minutes(RoutingContext ctx) {
    Optional<Access.Scoped> c = Access.scoped(ctx, defaultTenant, Role.ADMIN);
    if (c.isEmpty()) {
      return;
    }
    double minutes;
    try {
      minutes = Double.parseDouble(Optional.ofNullable(ctx.request().getFormAttribute("minutes")).orElse("")
          .replace(',', '.').strip());
    } catch (NumberFormatException e) {
      ctx.fail(400, new IllegalArgumentException("Minutes per conversation are a number from 0 to 240."));
      return;
    }
    statistics.setMinutesPerConversation(c.get().tenant(), minutes, c.get().who().actor())
        .compose(v -> audit.record(Optional.of(c.get().tenant()), c.get().who().actor(), "settings.save",
            "minutes_per_conversation", new JsonObject().put("minutes", minutes)))
        .onSuccess(v -> {
          pages.notice(ctx, pages.text().get(pages.lang(ctx), "dashboard.minutesSaved"));
          ctx.redirect("/admin/dashboard");
        })
        .onFailure(e -> ctx.fail(e instanceof IllegalArgumentException ? 400 : 500, e));
  }

  private void manager(RoutingContext ctx, BiConsumer<RoutingContext, Access.Scoped> handler) {
    Access.scoped(ctx, defaultTenant, Role.MANAGER).ifPresent(caller -> handler.accept(ctx, caller));
  }

  private Optional<String> channel(RoutingContext ctx) {
    return Optional.ofNullable(ctx.queryParams().get("channel")).filter(c -> c.equals("web") || c.equals("phone"));
  }

  private void page(RoutingContext ctx, Access.Scoped c) {
    Optional<LocalDate[]> period = Access.period(ctx);
    if (period.isEmpty()) {
      return;
    }
    LocalDate from = period.get()[0];
    LocalDate to = period.get()[1];
    long days = ChronoUnit.DAYS.between(from, to) + 1;
    Optional<String> channel = channel(ctx);
    Future<JsonObject> now = statistics.figures(Optional.of(c.tenant()), from, to, channel);
    Future<JsonObject> before = statistics.figures(Optional.of(c.tenant()), from.minusDays(days), from.minusDays(1),
        channel);
    Future.all(now, before).onSuccess(v -> {
      JsonObject s = now.result();
      JsonObject p = before.result();
      Map<String, Object> m = pages.model(ctx, Optional.of(c.who()), "dashboard.title", "dashboard");
      m.put("from", from.toString());
      m.put("to", to.toString());
      m.put("prevFrom", from.minusDays(days).toString());
      m.put("prevTo", from.minusDays(1).toString());
      m.put("channel", channel.orElse(""));
      List<Map<String, Object>> kpis = new ArrayList<>();
      kpis.add(kpi("conversations", count(s, "conversations"), count(p, "conversations")));
      kpis.add(kpi("resolutionRate", percent(s, "resolutionRate"), percent(p, "resolutionRate")));
      kpis.add(kpi("containmentRate", percent(s, "containmentRate"), percent(p, "containmentRate")));
      kpis.add(kpi("confirmed", count(s, "confirmed"), count(p, "confirmed")));
      kpis.add(kpi("assumed", count(s, "assumed"), count(p, "assumed")));
      kpis.add(kpi("escalated", count(s, "escalated"), count(p, "escalated")));
      kpis.add(kpi("abandoned", count(s, "abandoned"), count(p, "abandoned")));
      kpis.add(kpi("medianTurns", count(s, "medianTurns"), count(p, "medianTurns")));
      kpis.add(kpi("phoneCallsWithoutTransfer", count(s, "phoneCallsWithoutTransfer"),
          count(p, "phoneCallsWithoutTransfer")));
      kpis.add(kpi("firstAnswerMs", millis(s.getJsonObject("firstAnswer")), millis(p.getJsonObject("firstAnswer"))));
      kpis.add(kpi("staffHoursSaved", String.valueOf(s.getDouble("staffHoursSaved")),
          String.valueOf(p.getDouble("staffHoursSaved"))));
      m.put("minutes", s.getDouble("minutesPerConversation"));
      m.put("isAdmin", c.who().has(Role.ADMIN));
      m.put("kpis", kpis);
      List<Map<String, Object>> byDay = new ArrayList<>();
      JsonArray series = new JsonArray();
      for (Object o : s.getJsonArray("byDay")) {
        JsonObject d = (JsonObject) o;
        byDay.add(row(d.getString("day"), d));
        series.add(new JsonObject().put("day", d.getString("day")).put("confirmed", d.getLong("confirmed"))
            .put("assumed", d.getLong("assumed")).put("escalated", d.getLong("escalated"))
            .put("unresolved", d.getLong("unresolved") - d.getLong("abandoned"))
            .put("abandoned", d.getLong("abandoned")));
      }
      m.put("byDay", byDay);
      m.put("series", new JsonObject().put("days", series).put("labels", new JsonObject()
          .put("confirmed", pages.text().get(pages.lang(ctx), "dashboard.confirmed"))
          .put("assumed", pages.text().get(pages.lang(ctx), "dashboard.assumed"))
          .put("escalated", pages.text().get(pages.lang(ctx), "dashboard.escalated"))
          .put("unresolved", pages.text().get(pages.lang(ctx), "dashboard.unresolvedOnly"))
          .put("abandoned", pages.text().get(pages.lang(ctx), "dashboard.abandoned"))).encode());
      m.put("heatmap", heatmap(s.getJsonArray("byHourOfWeek"), pages.lang(ctx)));
      m.put("timeZone", s.getString("timeZone"));
      m.put("byChannel", groups(s.getJsonObject("byChannel")));
      m.put("byLanguage", groups(s.getJsonObject("byLanguage")));
      List<Map<String, Object>> articles = new ArrayList<>();
      s.getJsonArray("byArticle").stream().limit(10).forEach(o -> {
        JsonObject a = (JsonObject) o;
        articles.add(row(a.getString("slug"), a));
      });
      m.put("articles", articles);
      pages.render(ctx, "dashboard", m);
    }).onFailure(ctx::fail);
  }

  private void csv(RoutingContext ctx, Access.Scoped c) {
    Optional<LocalDate[]> period = Access.period(ctx);
    if (period.isEmpty()) {
      return;
    }
    statistics.figures(Optional.of(c.tenant()), period.get()[0], period.get()[1], channel(ctx)).onSuccess(s -> {
      StringBuilder csv = new StringBuilder("day,conversations,ended,resolved,confirmed,assumed,escalated,"
          + "unresolved,abandoned,resolution_rate,containment_rate\r\n");
      for (Object o : s.getJsonArray("byDay")) {
        JsonObject d = (JsonObject) o;
        csv.append(d.getString("day"));
        for (String f : List.of("conversations", "ended", "resolved", "confirmed", "assumed", "escalated",
            "unresolved", "abandoned", "resolutionRate", "containmentRate")) {
          Object value = d.getValue(f);
          csv.append(',').append(value == null ? "" : value.toString());
        }
        csv.append("\r\n");
      }
      ctx.response().putHeader("content-type", "text/csv; charset=utf-8")
          .putHeader("content-disposition", "attachment; filename=\"civicbot-" + c.tenant() + "-"
              + period.get()[0] + "-" + period.get()[1] + ".csv\"")
          .end(csv.toString());
    }).onFailure(ctx::fail);
  }

  /**
   * The period's conversations with their transcripts as stored (redacted): reading transcripts is recorded in the
   * audit log, with the period, before the first byte is sent.
   */
  private void conversations(RoutingContext ctx, Access.Scoped c) {
    Optional<LocalDate[]> period = Access.period(ctx);
    if (period.isEmpty()) {
      return;
    }
    LocalDate from = period.get()[0];
    LocalDate to = period.get()[1];
    Optional<String> channel = channel(ctx);
    audit.record(Optional.of(c.tenant()), c.who().actor(), "conversations.export", from + ".." + to,
            new JsonObject().put("channel", channel.orElse(null)).put("via", c.who().via()))
        .compose(v -> {
          ctx.response().setChunked(true).putHeader("content-type", "text/csv; charset=utf-8")
              .putHeader("content-disposition", "attachment; filename=\"civicbot-conversations-" + c.tenant() + "-"
                  + from + "-" + to + ".csv\"");
          return export.write(ctx.response(), c.tenant(), from, to, channel);
        })
        .onFailure(e -> {
          LOG.warn("The conversations export of {} failed: {}", c.tenant(), e.toString());
          if (ctx.response().headWritten()) {
            ctx.response().reset();
          } else {
            ctx.fail(e);
          }
        });
  }

  /** Weekday rows of 24 hour cells, each with its count and a shade from 0 (none) to 5 (the busiest hour). */
  private List<Map<String, Object>> heatmap(JsonArray week, org.civicbot.knowledge.Language lang) {
    long max = 1;
    for (Object day : week) {
      for (Object n : (JsonArray) day) {
        max = Math.max(max, ((Number) n).longValue());
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int d = 0; d < week.size(); d++) {
      List<Map<String, Object>> cells = new ArrayList<>();
      for (Object n : week.getJsonArray(d)) {
        long count = ((Number) n).longValue();
        cells.add(Map.of("n", count, "level", count == 0 ? 0 : (int) Math.ceil(5.0 * count / max)));
      }
      rows.add(Map.of("day", pages.text().get(lang, "dashboard.weekday." + (d + 1)), "cells", cells));
    }
    return rows;
  }

  private static Map<String, Object> kpi(String id, String value, String previous) {
    return Map.of("id", id, "value", value, "previous", previous);
  }

  private static String millis(JsonObject latency) {
    Double p50 = latency == null ? null : latency.getDouble("p50Ms");
    return p50 == null ? "–" : String.format(Locale.ROOT, "%.0f", p50);
  }

  private static String count(JsonObject s, String field) {
    Object v = s.getValue(field);
    return v == null ? "–" : String.valueOf(((Number) v).longValue());
  }

  private static String percent(JsonObject s, String field) {
    Double v = s.getDouble(field);
    return v == null ? "–" : String.format(Locale.ROOT, "%.1f %%", 100 * v);
  }

  private static Map<String, Object> row(String label, JsonObject d) {
    return Map.of("label", label, "conversations", d.getLong("conversations"), "ended", d.getLong("ended"),
        "confirmed", d.getLong("confirmed"), "assumed", d.getLong("assumed"), "escalated", d.getLong("escalated"),
        "unresolved", d.getLong("unresolved"), "abandoned", d.getLong("abandoned"),
        "rate", percent(d, "resolutionRate"));
  }

  private static List<Map<String, Object>> groups(JsonObject byKey) {
    List<Map<String, Object>> rows = new ArrayList<>();
    byKey.forEach(e -> rows.add(row(e.getKey(), (JsonObject) e.getValue())));
    return rows;
  }
}
