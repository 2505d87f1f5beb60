package org.civicbot.admin.web;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.civicbot.admin.Access;
import org.civicbot.admin.HandoffApi;
import org.civicbot.admin.Transcripts;
import org.civicbot.admin.staff.AgentPresence;
import org.civicbot.admin.staff.AuditLog;
import org.civicbot.admin.staff.Role;
import org.civicbot.bot.BotEngine;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationEvent;
import org.civicbot.bot.conversation.ConversationState;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.conversation.EventType;
import org.civicbot.bot.handoff.CallbackQueue;
import org.civicbot.bot.handoff.CallbackRequest;
import org.civicbot.bot.handoff.HeldByAnotherAgent;
import org.civicbot.bot.handoff.NotHeld;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.KnowledgeBase;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.lead.AnswerLead;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * The agents' inbox (role {@code agent}): the queue of handed-off conversations first in first out with their waiting
 * time, channel, language and why they came; the conversations the agent holds and the ones colleagues hold; and one
 * conversation with a summary card (the citizen's question, the articles the bot tried, why it was handed over), its
 * transcript with the bot's traces, and claim, reply, release and close. The queue and the transcript refresh
 * themselves (htmx polling every few seconds); the page title counts the waiting conversations.
 */
public final class InboxPages {
  private static final int LIST_LIMIT = 200;
  /** How many canned answers the reply form offers. */
  private static final int ANSWERS = 5;
  /** Conversations with the bot active this recently are "live", and how many the inbox lists. */
  private static final Duration LIVE_WITHIN = Duration.ofMinutes(10);
  private static final int LIVE_LIMIT = 50;

  private final Pages pages;
  private final BotEngine engine;
  private final ConversationStore conversations;
  private final CallbackQueue callbacks;
  private final KnowledgeBase kb;
  private final AgentPresence presence;
  private final TypingWatch typing;
  private final AuditLog audit;
  private final String defaultTenant;

  public InboxPages(Pages pages, BotEngine engine, ConversationStore conversations, CallbackQueue callbacks,
                    KnowledgeBase kb, AuditLog audit, AgentPresence presence, String defaultTenant) {
    this.pages = pages;
    this.presence = presence;
    this.typing = new TypingWatch(engine);
    this.kb = kb;
    this.engine = engine;
    this.conversations = conversations;
    this.callbacks = callbacks;
    this.audit = audit;
    this.defaultTenant = defaultTenant;
  }

  public void mount(Router router) {
    router.get("/admin/inbox").handler(ctx -> agent(ctx, this::inbox));
    router.get("/admin/inbox/:id").handler(ctx -> agent(ctx, this::conversation));
    router.post("/admin/inbox/:id/claim").handler(ctx -> agent(ctx, (c, s) -> change(c, s, "handoff.claim",
        engine::claim)));
    router.post("/admin/inbox/:id/release").handler(ctx -> agent(ctx, (c, s) -> change(c, s, "handoff.release",
        engine::release)));
    router.post("/admin/inbox/:id/close").handler(ctx -> agent(ctx, (c, s) -> change(c, s, "handoff.close",
        engine::close)));
    router.post("/admin/inbox/:id/reply").handler(ctx -> agent(ctx, this::reply));
    router.post("/admin/inbox/:id/contacted").handler(ctx -> agent(ctx, this::contacted));
    router.get("/admin/inbox/:id/answers").handler(ctx -> agent(ctx, this::answers));
    router.post("/admin/inbox/presence").handler(ctx -> agent(ctx, this::setPresence));
    // a GET: it changes nothing stored (a notice to the citizen's screen), and a POST would renew the CSRF token
    // under a reply form about to be sent
    router.get("/admin/inbox/:id/typing").handler(ctx -> agent(ctx, this::agentTyping));
  }

  private void agent(RoutingContext ctx, BiConsumer<RoutingContext, Access.Scoped> handler) {
    Access.scoped(ctx, defaultTenant, Role.AGENT).ifPresent(caller -> handler.accept(ctx, caller));
  }

  // ---- the queue -------------------------------------------------------------------------------------------------

  private void inbox(RoutingContext ctx, Access.Scoped c) {
    Optional<String> tenant = Optional.of(c.tenant());
    Future<List<ConversationStore.Handoff>> waiting = conversations.handoffs(tenant, "waiting", LIST_LIMIT);
    Future<List<ConversationStore.Handoff>> active = conversations.handoffs(tenant, "active", LIST_LIMIT);
    Future<List<CallbackRequest>> contacts = callbacks.list(tenant, false);
    Future<List<ConversationStore.Handoff>> live = conversations.live(c.tenant(), LIVE_WITHIN, LIVE_LIMIT);
    Future<AgentPresence.Presence> mine = presence.of(c.tenant(), HandoffApi.agent(c.who(), new JsonObject()).id());
    Future.all(List.of(waiting, active, contacts, live, mine)).onSuccess(all -> {
      Map<String, Object> m = pages.model(ctx, Optional.of(c.who()), "inbox.title", "inbox");
      Language lang = pages.lang(ctx);
      Instant now = Instant.now();
      String me = HandoffApi.agent(c.who(), new JsonObject()).id();
      m.put("waiting", rows(waiting.result(), now, lang));
      m.put("mine", rows(active.result().stream().filter(h -> h.agentId().filter(me::equals).isPresent()).toList(),
          now, lang));
      m.put("others", rows(active.result().stream().filter(h -> h.agentId().filter(me::equals).isEmpty()).toList(),
          now, lang));
      m.put("contacts", contactRows(contacts.result(), now, lang));
      m.put("live", rows(live.result(), now, lang));
      m.put("online", mine.result().online());
      m.put("capacity", mine.result().capacity());
      m.put("holding", mine.result().holding());
      m.put("capacities", java.util.stream.IntStream.rangeClosed(1, AgentPresence.MAX_CAPACITY).boxed().toList());
      int count = waiting.result().size();
      m.put("waitingCount", count);
      if (count > 0) {
        m.put("title", "(" + count + ") " + m.get("title"));
      }
      pages.render(ctx, Pages.partial(ctx) ? "inbox-lists" : "inbox", m);
    }).onFailure(ctx::fail);
  }

  private List<Map<String, Object>> rows(List<ConversationStore.Handoff> list, Instant now, Language lang) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ConversationStore.Handoff h : list) {
      Map<String, Object> row = new HashMap<>();
      row.put("id", h.conversationId().toString());
      row.put("channel", h.channel());
      row.put("convLang", h.lang().code());
      row.put("waited", waited(Duration.between(h.since(), now), lang));
      row.put("since", h.since().toString());
      row.put("agent", h.agent().orElse(""));
      row.put("reason", h.reason().orElse(""));
      row.put("lastMessage", h.lastMessage().map(t -> t.length() > 140 ? t.substring(0, 139) + "…" : t).orElse(""));
      rows.add(row);
    }
    return rows;
  }

  /** Callbacks callers asked for and messages left in the chat outside opening hours, oldest first. */
  private static List<Map<String, Object>> contactRows(List<CallbackRequest> list, Instant now, Language lang) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (CallbackRequest r : list) {
      Map<String, Object> row = new HashMap<>();
      row.put("conversation", r.conversationId().toString());
      row.put("channel", r.channel());
      row.put("convLang", r.lang().code());
      row.put("waited", waited(Duration.between(r.requestedAt(), now), lang));
      row.put("since", r.requestedAt().toString());
      row.put("phone", r.phoneNumber().orElse(""));
      row.put("email", r.email().orElse(""));
      row.put("callBack", r.callBack());
      rows.add(row);
    }
    return rows;
  }

  /** "4 min", "1 h 5 min", "35 s": how long a citizen has waited. */
  static String waited(Duration d, Language lang) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s + " s";
    }
    long minutes = s / 60;
    return minutes < 60 ? minutes + " min" : minutes / 60 + (lang == Language.DA ? " t " : " h ") + minutes % 60 + " min";
  }

  // ---- one conversation ------------------------------------------------------------------------------------------

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
    if (id.isEmpty()) {
      return;
    }
    visible(c, id.get()).compose(found -> conversations.events(id.get()).compose(events -> callbacks.of(id.get())
        .map(contact -> {
          Map<String, Object> m = pages.model(ctx, Optional.of(c.who()), "inbox.conversation", "inbox");
          fill(m, c, found, events);
          contact.ifPresent(r -> {
            // how the citizen asked to be reached: only on this page, for the agent who answers
            m.put("contactPhone", r.phoneNumber().orElse(""));
            m.put("contactEmail", r.email().orElse(""));
            m.put("contactCallBack", r.callBack());
            m.put("contactOpen", r.open());
            m.put("contactHandledBy", r.handledBy().orElse(""));
          });
          return m;
        }))).onSuccess(m -> {
      if (Pages.partial(ctx)) {
        pages.render(ctx, "inbox-transcript", m);
        return;
      }
      audit.record(c.who(), c.tenant(), "transcript.read", id.get().toString())
          .onSuccess(v -> pages.render(ctx, "inbox-conversation", m))
          .onFailure(ctx::fail);
    }).onFailure(e -> fail(ctx, e));
  }

  private void fill(Map<String, Object> m, Access.Scoped c, Conversation conversation, List<ConversationEvent> events) {
    ConversationState state = ConversationState.of(conversation.lang(), events);
    JsonObject transcript = Transcripts.of(conversation, events);
    String me = HandoffApi.agent(c.who(), new JsonObject()).id();
    boolean ended = conversation.endedAt().isPresent();
    m.put("id", conversation.id().toString());
    m.put("channel", conversation.channel());
    m.put("convLang", conversation.lang().code());
    m.put("startedAt", conversation.startedAt().toString().replace('T', ' ').substring(0, 16));
    m.put("ended", ended);
    m.put("owner", ended ? "ended" : state.owner().wireName());
    m.put("holder", state.agentName().orElse(""));
    m.put("mine", !ended && state.owner() == ConversationState.Owner.AGENT
        && state.agentId().filter(me::equals).isPresent());
    m.put("writable", !ended && "web".equals(conversation.channel()));

    // the summary card: the question, the articles the bot tried, why it came to a person
    Set<String> tried = new LinkedHashSet<>();
    String question = "";
    String reason = "";
    for (ConversationEvent e : events) {
      if (e.type() == EventType.MESSAGE_IN && question.isEmpty()) {
        question = e.payload().getString("text", "");
      } else if (e.type() == EventType.REPLY_OUT) {
        e.payload().getJsonArray("articles", new JsonArray())
            .forEach(a -> tried.add(((JsonObject) a).getString("slug")));
      } else if (e.type() == EventType.HANDOFF) {
        reason = e.payload().getString("reason", "");
      }
    }
    m.put("question", question);
    m.put("tried", String.join(", ", tried));
    m.put("reason", reason);

    m.put("turns", TranscriptTurns.of(transcript));
    m.put("citizenTyping", !ended && typing.citizenTyping(conversation.id()));
  }

  private Future<Conversation> visible(Access.Scoped c, UUID id) {
    return conversations.find(id).compose(found -> found.filter(conv -> conv.tenantId().equals(c.tenant()))
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new Access.NotFound("There is no such conversation."))));
  }

  // ---- changes ---------------------------------------------------------------------------------------------------

  private void change(RoutingContext ctx, Access.Scoped c, String action,
                      java.util.function.BiFunction<UUID, BotEngine.Agent, Future<Void>> change) {
    Optional<UUID> id = id(ctx);
    if (id.isEmpty()) {
      return;
    }
    BotEngine.Agent agent = HandoffApi.agent(c.who(), new JsonObject());
    visible(c, id.get())
        .compose(conv -> (action.equals("handoff.claim") ? presence.beforeClaim(c.who(), c.tenant(), agent.id(),
            conv.id()) : Future.<Void>succeededFuture())
            .compose(v -> change.apply(conv.id(), agent)))
        .compose(v -> audit.record(c.who(), c.tenant(), action, id.get().toString()))
        .onSuccess(v -> {
          pages.notice(ctx, text(ctx, action.replace("handoff.", "inbox.done.")));
          ctx.redirect(action.equals("handoff.claim") ? "/admin/inbox/" + id.get() : "/admin/inbox");
        })
        .onFailure(e -> refused(ctx, id.get(), e));
  }

  /**
   * Canned answers from the knowledge base for the agent's reply: the published articles in the conversation's
   * language that best match {@code ?q=} (default: the citizen's first question), each with its introduction and its
   * link to insert into the reply.
   */
  private void answers(RoutingContext ctx, Access.Scoped c) {
    Optional<UUID> id = id(ctx);
    if (id.isEmpty()) {
      return;
    }
    String asked = Optional.ofNullable(ctx.queryParams().get("q")).orElse("").strip();
    if (asked.length() > 300) {
      ctx.fail(400, new IllegalArgumentException(text(ctx, "inbox.answersTooLong")));
      return;
    }
    visible(c, id.get()).compose(conv -> (asked.isEmpty() ? firstQuestion(conv.id()) : Future.succeededFuture(asked))
        .compose(q -> q.isBlank() ? Future.succeededFuture(List.<Map<String, Object>>of())
            : kb.retrieve(conv.tenantId(), conv.lang(), q).map(r -> r.hits().stream().limit(ANSWERS)
                .map(h -> answerRow(h.article().content())).toList()))
        .map(rows -> {
          Map<String, Object> m = pages.model(ctx, Optional.of(c.who()), "inbox.conversation", "inbox");
          m.put("id", conv.id().toString());
          m.put("convLang", conv.lang().code());
          m.put("q", asked);
          m.put("answers", rows);
          return m;
        }))
        .onSuccess(m -> pages.render(ctx, "inbox-answers", m))
        .onFailure(e -> fail(ctx, e));
  }

  private Future<String> firstQuestion(UUID id) {
    return conversations.events(id).map(events -> events.stream().filter(e -> e.type() == EventType.MESSAGE_IN)
        .map(e -> e.payload().getString("text", "")).findFirst().orElse(""));
  }

  private static Map<String, Object> answerRow(ArticleContent a) {
    String intro = AnswerLead.split(a.answer()).intro();
    String answer = (intro.isEmpty() ? a.answer() : intro) + (a.sourceUrl().isBlank() ? "" : "\n\n" + a.sourceUrl());
    return Map.of("title", a.title(), "slug", a.slug(), "answer", answer,
        "link", a.sourceUrl().isBlank() ? a.title() : "[" + a.title() + "](" + a.sourceUrl() + ")");
  }

  /** The agent holding the conversation is typing a reply: the citizen's widget says so (204). */
  private void agentTyping(RoutingContext ctx, Access.Scoped c) {
    Optional<UUID> id = id(ctx);
    if (id.isEmpty()) {
      return;
    }
    BotEngine.Agent me = HandoffApi.agent(c.who(), new JsonObject());
    visible(c, id.get()).compose(conv -> conversations.snapshot(conv.id()))
        .onSuccess(s -> {
          if (s.conversation().endedAt().isEmpty() && s.state().owner() == ConversationState.Owner.AGENT
              && s.state().agentId().filter(me.id()::equals).isPresent()) {
            engine.typing(id.get(), BotEngine.PushedMessage.typing("agent", me.name()));
          }
          ctx.response().setStatusCode(204).end();
        })
        .onFailure(e -> fail(ctx, e));
  }

  /** The agent goes online or away, and sets how many conversations they hold at most. */
  private void setPresence(RoutingContext ctx, Access.Scoped c) {
    boolean online = !"away".equals(ctx.request().getFormAttribute("status"));
    int capacity;
    try {
      capacity = Integer.parseInt(Optional.ofNullable(ctx.request().getFormAttribute("capacity"))
          .orElse(Integer.toString(AgentPresence.DEFAULT_CAPACITY)));
    } catch (NumberFormatException e) {
      ctx.fail(400, new IllegalArgumentException(text(ctx, "inbox.capacityInvalid")));
      return;
    }
    presence.set(c.tenant(), HandoffApi.agent(c.who(), new JsonObject()).id(), online, capacity)
        .onSuccess(v -> {
          pages.notice(ctx, text(ctx, online ? "inbox.done.online" : "inbox.done.away"));
          ctx.redirect("/admin/inbox");
        })
        .onFailure(e -> ctx.fail(e instanceof IllegalArgumentException ? 400 : 500,
            e instanceof IllegalArgumentException ? new IllegalArgumentException(text(ctx, "inbox.capacityInvalid"))
                : e));
  }

  /** The agent has called or written back to the citizen who asked for it: the request leaves the list. */
  private void contacted(RoutingContext ctx, Access.Scoped c) {
    Optional<UUID> id = id(ctx);
    if (id.isEmpty()) {
      return;
    }
    String agent = HandoffApi.agent(c.who(), new JsonObject()).name();
    visible(c, id.get())
        .compose(conv -> callbacks.of(conv.id()))
        .compose(found -> found.isEmpty() ? Future.failedFuture(new Access.NotFound("Nobody asked to be contacted."))
            : callbacks.markHandled(found.get().id(), agent))
        .compose(done -> audit.record(c.who(), c.tenant(), "callback.handled", id.get().toString()))
        .onSuccess(v -> {
          pages.notice(ctx, text(ctx, "inbox.done.contacted"));
          ctx.redirect("/admin/inbox");
        })
        .onFailure(e -> fail(ctx, e));
  }

  private void reply(RoutingContext ctx, Access.Scoped c) {
    Optional<UUID> id = id(ctx);
    if (id.isEmpty()) {
      return;
    }
    String message = Optional.ofNullable(ctx.request().getFormAttribute("text")).orElse("").strip();
    if (message.isEmpty() || message.length() > 4_000) {
      ctx.fail(400, new IllegalArgumentException(text(ctx, "inbox.replyLength")));
      return;
    }
    BotEngine.Agent agent = HandoffApi.agent(c.who(), new JsonObject());
    visible(c, id.get())
        .compose(conv -> "web".equals(conv.channel()) ? engine.agentMessage(conv.id(), agent, message)
            : Future.failedFuture(new NotHeld(text(ctx, "inbox.notWritable"))))
        .onSuccess(v -> ctx.redirect("/admin/inbox/" + id.get() + "#reply"))
        .onFailure(e -> refused(ctx, id.get(), e));
  }

  /** Someone else holds it, or it ended: back to the conversation with a notice that says so. */
  private void refused(RoutingContext ctx, UUID id, Throwable e) {
    if (e instanceof HeldByAnotherAgent held) {
      pages.notice(ctx, text(ctx, "inbox.heldBy").replace("{0}", held.holder()));
      ctx.redirect("/admin/inbox/" + id);
    } else if (e instanceof NotHeld notHeld) {
      pages.notice(ctx, text(ctx, "inbox.notHeld"));
      ctx.redirect("/admin/inbox/" + id);
    } else if (e instanceof AgentPresence.AtCapacity) {
      pages.notice(ctx, text(ctx, "inbox.atCapacity"));
      ctx.redirect("/admin/inbox/" + id);
    } else {
      fail(ctx, e);
    }
  }

  private static void fail(RoutingContext ctx, Throwable e) {
    if (e instanceof Access.NotFound || e instanceof ConversationStore.UnknownConversationException) {
      ctx.fail(404, new Access.NotFound("There is no such conversation."));
    } else {
      ctx.fail(e);
    }
  }

  private String text(RoutingContext ctx, String key) {
    return pages.text().get(pages.lang(ctx), key);
  }
}
