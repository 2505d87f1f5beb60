package org.civicbot.admin.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.civicbot.admin.Access;
import org.civicbot.admin.Transcripts;
import org.civicbot.admin.staff.Role;
import org.civicbot.admin.stats.Reviews;
import org.civicbot.admin.stats.Statistics;
import org.civicbot.bot.conversation.ConversationStore;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * The review queue of the audited resolution rate (role {@code manager}): an ended conversation drawn at random from
 * the period and channel, its transcript with each turn's outcome, articles and decision, and the inferred resolution;
 * the reviewer marks it correct, incorrect or unclear with a note and gets the next one. The page shows the audited
 * rate with its Wilson 95 % interval beside the inferred rate.
 */
public final class ReviewPages {
  private final Pages pages;
  private final Reviews reviews;
  private final Statistics statistics;
  private final ConversationStore conversations;
  private final String defaultTenant;

  public ReviewPages(Pages pages, Reviews reviews, Statistics statistics, ConversationStore conversations,
                     String defaultTenant) {
    this.pages = pages;
    this.reviews = reviews;
    this.statistics = statistics;
    this.conversations = conversations;
    this.defaultTenant = defaultTenant;
  }

  public void mount(Router router) {
    router.get("/admin/reviews").handler(ctx -> manager(ctx, this::queue));
    router.get("/admin/reviews/next").handler(ctx -> manager(ctx, this::next));
    router.get("/admin/reviews/:id").handler(ctx -> manager(ctx, this::conversation));
    router.post("/admin/reviews/:id").handler(ctx -> manager(ctx, this::save));
  }

  private void manager(RoutingContext ctx, BiConsumer<RoutingContext, Access.Scoped> handler) {
    Access.scoped(ctx, defaultTenant, Role.MANAGER).ifPresent(caller -> handler.accept(ctx, caller));
  }

  private static Optional<String> channel(String value) {
    return Optional.ofNullable(value).filter(c -> c.equals("web") || c.equals("phone"));
  }

  private static String query(LocalDate[] period, Optional<String> channel) {
    return "from=" + period[0] + "&to=" + period[1] + "&channel=" + channel.orElse("");
  }

  private void queue(RoutingContext ctx, Access.Scoped c) {
    Optional<LocalDate[]> period = Access.period(ctx);
    if (period.isEmpty()) {
      return;
    }
    Optional<String> channel = channel(ctx.queryParams().get("channel"));
    statistics.figures(Optional.of(c.tenant()), period.get()[0], period.get()[1], channel).onSuccess(s -> {
      Map<String, Object> m = pages.model(ctx, Optional.of(c.who()), "reviews.title", "reviews");
      m.put("from", period.get()[0].toString());
      m.put("to", period.get()[1].toString());
      m.put("channel", channel.orElse(""));
      m.put("query", query(period.get(), channel));
      JsonObject a = s.getJsonObject("audited");
      m.put("reviewed", a.getLong("reviewed"));
      m.put("correct", a.getLong("correct"));
      m.put("incorrect", a.getLong("incorrect"));
      m.put("unclear", a.getLong("unclear"));
      m.put("rate", percent(a.getDouble("rate")));
      JsonArray ci = a.getJsonArray("ci95");
      m.put("ciLow", ci == null ? "–" : percent(ci.getDouble(0)));
      m.put("ciHigh", ci == null ? "–" : percent(ci.getDouble(1)));
      m.put("disagreement", percent(a.getDouble("disagreement")));
      m.put("inferred", percent(s.getDouble("resolutionRate")));
      m.put("none", ctx.queryParams().get("none") != null);
      pages.render(ctx, "reviews", m);
    }).onFailure(ctx::fail);
  }

  private static String percent(Double v) {
    return v == null ? "–" : String.format(java.util.Locale.ROOT, "%.1f %%", 100 * v);
  }

  private void next(RoutingContext ctx, Access.Scoped c) {
    Optional<LocalDate[]> period = Access.period(ctx);
    if (period.isEmpty()) {
      return;
    }
    Optional<String> channel = channel(ctx.queryParams().get("channel"));
    reviews.sample(c.tenant(), period.get()[0], period.get()[1], channel).onSuccess(id -> ctx.redirect(id
        .map(uuid -> "/admin/reviews/" + uuid + "?" + query(period.get(), channel))
        .orElse("/admin/reviews?none=1&" + query(period.get(), channel)))).onFailure(ctx::fail);
  }

  private Optional<UUID> id(RoutingContext ctx) {
    try {
      return Optional.of(UUID.fromString(ctx.pathParam("id")));
    } catch (IllegalArgumentException e) {
      ctx.fail(404, new Access.NotFound("There is no such conversation."));
      return Optional.empty();
    }
  }

  private void conversation(RoutingContext ctx, Access.Scoped c) {
    Optional<UUID> id = id(ctx);
    Optional<LocalDate[]> period = id.isEmpty() ? Optional.empty() : Access.period(ctx);
    if (period.isEmpty()) {
      return;
    }
    conversations.find(id.get()).onSuccess(found -> {
      if (found.isEmpty() || !found.get().tenantId().equals(c.tenant()) || found.get().endedAt().isEmpty()) {
        ctx.fail(404, new Access.NotFound("There is no such ended conversation."));
        return;
      }
      conversations.events(id.get()).onSuccess(events -> {
        JsonObject transcript = Transcripts.of(found.get(), events);
        Map<String, Object> m = pages.model(ctx, Optional.of(c.who()), "reviews.review", "reviews");
        m.put("id", id.get().toString());
        m.put("query", query(period.get(), channel(ctx.queryParams().get("channel"))));
        m.put("channel", found.get().channel());
        m.put("convLang", found.get().lang().code());
        m.put("startedAt", found.get().startedAt().toString().replace('T', ' ').substring(0, 16));
        m.put("resolution", transcript.getString("resolution", ""));
        m.put("turns", TranscriptTurns.of(transcript));
        pages.render(ctx, "review", m);
      }).onFailure(ctx::fail);
    }).onFailure(ctx::fail);
  }

  private void save(RoutingContext ctx, Access.Scoped c) {
    Optional<UUID> id = id(ctx);
    if (id.isEmpty()) {
      return;
    }
    String verdict = Optional.ofNullable(ctx.request().getFormAttribute("verdict")).orElse("");
    String note = Optional.ofNullable(ctx.request().getFormAttribute("note")).orElse("").strip();
    if (!verdict.matches("correct|incorrect|unclear")) {
      ctx.fail(400, new IllegalArgumentException(pages.text().get(pages.lang(ctx), "reviews.chooseVerdict")));
      return;
    }
    if (note.length() > 2_000) {
      ctx.fail(400, new IllegalArgumentException("A note has at most 2000 characters."));
      return;
    }
    String back = Optional.ofNullable(ctx.request().getFormAttribute("query")).filter(q -> q.matches(
        "from=[0-9-]*&to=[0-9-]*&channel=(web|phone)?")).orElse("");
    reviews.review(c.who(), c.tenant(), id.get(), verdict, note).onSuccess(done -> {
      if (!done) {
        ctx.fail(404, new Access.NotFound("There is no such ended conversation."));
        return;
      }
      pages.notice(ctx, pages.text().get(pages.lang(ctx), "reviews.saved"));
      ctx.redirect("/admin/reviews/next?" + back);
    }).onFailure(ctx::fail);
  }
}
