package org.civicbot.admin.web;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.civicbot.admin.Access;
import org.civicbot.admin.content.RegressionCases;
import org.civicbot.admin.staff.Role;
import org.civicbot.admin.staff.StaffPrincipal;
import org.civicbot.bot.BotEngine;
import org.civicbot.bot.BotReply;
import org.civicbot.bot.ChannelAbilities;
import org.civicbot.bot.InboundMessage;
import org.civicbot.bot.conversation.ConversationEvent;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.conversation.EventType;
import org.civicbot.bot.render.MarkdownRenderer;
import org.civicbot.knowledge.Language;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The test console: an editor asks the bot as a citizen would, in a real conversation of channel {@code test} (so
 * it is told apart from citizens' conversations), and sees the answer beside its decision trace: the top hits with
 * each signal's score, the answer probability, the thresholds and the follow-up context.
 */
public final class ConsolePage {
  public static final String CHANNEL = "test";
  private static final String SESSION_CONVERSATION = "staff.console";

  private final Pages pages;
  private final BotEngine engine;
  private final ConversationStore conversations;
  private final RegressionCases cases;
  private final String defaultTenant;
  private final MarkdownRenderer markdown = new MarkdownRenderer();

  public ConsolePage(Pages pages, BotEngine engine, ConversationStore conversations, RegressionCases cases,
                     String defaultTenant) {
    this.pages = pages;
    this.engine = engine;
    this.conversations = conversations;
    this.cases = cases;
    this.defaultTenant = defaultTenant;
  }

  public void mount(Router router) {
    router.get("/admin/console").handler(this::page);
    router.post("/admin/console").handler(this::ask);
    router.post("/admin/console/save").handler(this::save);
  }

  /**
   * Saves the session's console conversation as a regression case: its messages (as stored, redacted) in order, in
   * the language and wording (chat or phone) of its first message, expecting what the bot answers now.
   */
  private void save(RoutingContext ctx) {
    Optional<Access.Scoped> caller = Access.scoped(ctx, defaultTenant, Role.EDITOR);
    if (caller.isEmpty()) {
      return;
    }
    String name = Optional.ofNullable(ctx.request().getFormAttribute("name")).map(String::strip).orElse("");
    if (name.isEmpty() || name.length() > 200) {
      ctx.fail(400, new IllegalArgumentException("Name the case (1 to 200 characters)."));
      return;
    }
    Language ui = pages.lang(ctx);
    Object known = ctx.session().get(SESSION_CONVERSATION);
    Future<List<ConversationEvent>> events = known instanceof String id
        ? conversations.find(UUID.fromString(id)).compose(found -> found.filter(c -> c.tenantId()
            .equals(caller.get().tenant())).isPresent() ? conversations.events(UUID.fromString(id))
            : Future.succeededFuture(List.of()))
        : Future.succeededFuture(List.of());
    events.compose(all -> {
      List<ConversationEvent> in = all.stream().filter(e -> e.type() == EventType.MESSAGE_IN).toList();
      if (in.isEmpty()) {
        return Future.succeededFuture(Optional.<RegressionCases.Case>empty());
      }
      JsonObject first = in.get(0).payload();
      Language lang = Language.fromCode(first.getString("lang", "da"));
      String channel = "phone".equals(first.getJsonObject("metadata", new JsonObject()).getString("console"))
          ? "phone" : "web";
      List<String> texts = in.stream().map(e -> e.payload().getString("text", "")).filter(t -> !t.isBlank())
          .limit(RegressionCases.MAX_TURNS).toList();
      return cases.save(caller.get().who(), caller.get().tenant(), name, lang, channel, texts, List.of())
          .map(Optional::of);
    }).onSuccess(saved -> {
      pages.notice(ctx, saved.isEmpty() ? pages.text().get(ui, "console.nothing")
          : pages.text().get(ui, "console.saved", saved.get().turns().size()));
      ctx.redirect(saved.isEmpty() ? "/admin/console" : "/admin/regressions");
    }).onFailure(ctx::fail);
  }

  private void page(RoutingContext ctx) {
    Optional<Access.Scoped> caller = Access.scoped(ctx, defaultTenant, Role.EDITOR);
    if (caller.isEmpty()) {
      return;
    }
    Optional<StaffPrincipal> who = Optional.of(caller.get().who());
    if (ctx.queryParams().get("new") != null) {
      ctx.session().remove(SESSION_CONVERSATION);
    }
    Map<String, Object> m = pages.model(ctx, who, "console.title", "console");
    m.put("channel", "web");
    m.put("askLang", "");
    pages.render(ctx, "console", m);
  }

  private void ask(RoutingContext ctx) {
    Optional<Access.Scoped> caller = Access.scoped(ctx, defaultTenant, Role.EDITOR);
    if (caller.isEmpty()) {
      return;
    }
    Optional<StaffPrincipal> who = Optional.of(caller.get().who());
    String tenant = caller.get().tenant();
    String text = Optional.ofNullable(ctx.request().getFormAttribute("text")).map(String::strip).orElse("");
    if (text.isEmpty() || text.length() > 2_000) {
      ctx.fail(400, new IllegalArgumentException("Write a question of at most 2000 characters."));
      return;
    }
    String langCode = Optional.ofNullable(ctx.request().getFormAttribute("askLang")).orElse("");
    Optional<Language> lang = langCode.equals("da") || langCode.equals("en") ? Optional.of(Language.fromCode(langCode))
        : Optional.empty();
    boolean phone = "phone".equals(ctx.request().getFormAttribute("channel"));
    conversation(ctx, tenant, lang)
        .compose(id -> engine.handle(new InboundMessage(tenant, id, CHANNEL, text, lang,
                Map.of("console", phone ? "phone" : "web"), phone ? RegressionCases.PHONE : ChannelAbilities.SCREEN))
            .compose(reply -> conversations.events(id).map(events -> result(ctx, who, text, reply, events, phone))))
        .onSuccess(m -> pages.render(ctx, Pages.partial(ctx) ? "console-turn" : "console", m))
        .onFailure(ctx::fail);
  }

  /** The session's console conversation, or a new one. */
  private Future<UUID> conversation(RoutingContext ctx, String tenant, Optional<Language> lang) {
    Object known = ctx.session().get(SESSION_CONVERSATION);
    if (known instanceof String id) {
      UUID uuid = UUID.fromString(id);
      return conversations.find(uuid).compose(found -> found.filter(c -> c.tenantId().equals(tenant)
          && c.endedAt().isEmpty()).isPresent() ? Future.succeededFuture(uuid) : start(ctx, tenant, lang));
    }
    return start(ctx, tenant, lang);
  }

  private Future<UUID> start(RoutingContext ctx, String tenant, Optional<Language> lang) {
    return engine.start(tenant, CHANNEL, Optional.empty(), lang).map(started -> {
      UUID id = started.conversation().id();
      ctx.session().put(SESSION_CONVERSATION, id.toString());
      return id;
    });
  }

  private static String signals(JsonObject signals) {
    if (signals == null) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    signals.forEach(e -> parts.add(e.getKey() + " " + e.getValue()));
    return String.join(" · ", parts);
  }

  private Map<String, Object> result(RoutingContext ctx, Optional<StaffPrincipal> who, String text, BotReply reply,
                                     List<ConversationEvent> events, boolean phone) {
    Map<String, Object> m = pages.model(ctx, who, "console.title", "console");
    m.put("question", text);
    m.put("channel", phone ? "phone" : "web");
    m.put("askLang", reply.lang().code());
    m.put("outcome", reply.outcome().wireName());
    m.put("replies", reply.replies().stream().map(r -> Map.of("html", markdown.toSafeHtml(r.text()),
        "spoken", r.spoken() == null ? "" : r.spoken())).toList());
    JsonObject trace = events.stream().filter(e -> e.type() == EventType.DECISION)
        .reduce((a, b) -> b).map(ConversationEvent::payload).orElse(new JsonObject());
    m.put("trace", trace.encodePrettily());
    m.put("reason", trace.getString("reason", ""));
    JsonObject retrieval = trace.getJsonObject("retrieval", new JsonObject());
    List<Map<String, Object>> hits = new ArrayList<>();
    JsonArray top = retrieval.getJsonArray("hits", new JsonArray());
    for (int i = 0; i < top.size(); i++) {
      JsonObject h = top.getJsonObject(i);
      hits.add(Map.of("slug", h.getString("slug", ""), "score", String.valueOf(h.getValue("score", "")),
          "confidence", String.valueOf(h.getValue("confidence", "")),
          "signals", signals(h.getJsonObject("signals"))));
    }
    m.put("hits", hits);
    m.put("policy", trace.getJsonObject("policy", new JsonObject()).encode());
    m.put("followUp", trace.getJsonObject("followUp", new JsonObject()).encode());
    return m;
  }
}
