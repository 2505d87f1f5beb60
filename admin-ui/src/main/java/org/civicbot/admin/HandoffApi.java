package org.civicbot.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.civicbot.admin.staff.AgentPresence;
import org.civicbot.admin.staff.AuditLog;
import org.civicbot.admin.staff.Role;
import org.civicbot.admin.staff.StaffPrincipal;
import org.civicbot.bot.BotEngine;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.handoff.HeldByAnotherAgent;
import org.civicbot.bot.handoff.NotHeld;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * The handoff queue and the agent's side of a handed-off conversation (DESIGN, "Human handoff"), for the role agent:
 * {@code GET /api/v1/admin/handoffs?status=}, {@code POST .../handoffs/{id}/claim|release|close}, and
 * {@code POST /api/v1/admin/conversations/{id}/messages}. One owner at a time: the engine changes the owner under the
 * conversation's lock, so of two agents claiming at once one gets 200 and the other 409. Claims, releases and closes
 * are audit-logged; a conversation of another tenant answers 404.
 */
public final class HandoffApi {
  private static final Set<String> STATUSES = Set.of("waiting", "active", "released", "closed");
  private static final int LIST_LIMIT = 200;

  private final BotEngine engine;
  private final ConversationStore conversations;
  private final AuditLog audit;
  private final AgentPresence presence;

  public HandoffApi(BotEngine engine, ConversationStore conversations, AuditLog audit, AgentPresence presence) {
    this.engine = engine;
    this.conversations = conversations;
    this.audit = audit;
    this.presence = presence;
  }

  /** Mounts the routes; expects the body handler and the staff authentication before them. */
  public void mount(Router router) {
    router.get("/api/v1/admin/handoffs").handler(this::list);
    router.post("/api/v1/admin/handoffs/:id/claim").handler(ctx -> change(ctx, "handoff.claim", engine::claim));
    router.post("/api/v1/admin/handoffs/:id/release").handler(ctx -> change(ctx, "handoff.release", engine::release));
    router.post("/api/v1/admin/handoffs/:id/close").handler(ctx -> change(ctx, "handoff.close", engine::close));
    router.post("/api/v1/admin/conversations/:id/messages").handler(this::message);
  }

  /** {@code ?status=waiting} (default; first in first out), {@code active}, {@code released}, {@code closed}. */
  private void list(RoutingContext ctx) {
    Optional<StaffPrincipal> who = Access.require(ctx, Role.AGENT);
    if (who.isEmpty()) {
      return;
    }
    String status = Optional.ofNullable(ctx.queryParams().get("status")).orElse("waiting");
    if (!STATUSES.contains(status)) {
      ctx.fail(400, new IllegalArgumentException("\"status\" is one of waiting, active, released, closed."));
      return;
    }
    Optional<String> requested = Optional.ofNullable(ctx.queryParams().get("tenant")).filter(t -> !t.isBlank());
    if (requested.isPresent() && !who.get().sees(requested.get())) {
      ctx.fail(404, new Access.NotFound("There is no such tenant."));
      return;
    }
    Instant now = Instant.now();
    conversations.handoffs(who.get().tenantId().or(() -> requested), status, LIST_LIMIT)
        .onSuccess(list -> {
          JsonArray json = new JsonArray();
          list.forEach(h -> json.add(new JsonObject()
              .put("conversationId", h.conversationId().toString())
              .put("tenant", h.tenantId())
              .put("channel", h.channel())
              .put("lang", h.lang().code())
              .put("since", h.since().toString())
              .put("waitingSeconds", Math.max(0, Duration.between(h.since(), now).toSeconds()))
              .put("status", h.status())
              .put("agent", h.agent().orElse(null))
              .put("reason", h.reason().orElse(null))
              .put("lastMessage", h.lastMessage().orElse(null))));
          HttpJson.send(ctx, new JsonObject().put("handoffs", json));
        })
        .onFailure(ctx::fail);
  }

  private void change(RoutingContext ctx, String action,
                      BiFunction<UUID, BotEngine.Agent, Future<Void>> change) {
    Optional<StaffPrincipal> who = Access.require(ctx, Role.AGENT);
    Optional<UUID> id = who.isEmpty() ? Optional.empty() : id(ctx);
    if (id.isEmpty()) {
      return;
    }
    Optional<JsonObject> body = ctx.body().length() == 0 ? Optional.of(new JsonObject()) : HttpJson.body(ctx);
    if (body.isEmpty()) {
      return;
    }
    BotEngine.Agent agent = agent(who.get(), body.get());
    visible(who.get(), id.get())
        .compose(c -> (action.equals("handoff.claim") ? presence.beforeClaim(who.get(), c.tenantId(), agent.id(),
            c.id()) : Future.<Void>succeededFuture())
            .compose(v -> change.apply(c.id(), agent))
            .compose(v -> audit.record(who.get(), c.tenantId(), action, c.id().toString())))
        .compose(v -> conversations.snapshot(id.get()))
        .onSuccess(s -> HttpJson.send(ctx, new JsonObject().put("conversationId", id.get().toString())
            .put("status", s.conversation().endedAt().isPresent() ? "closed" : switch (s.state().owner()) {
              case QUEUE -> "waiting";
              case AGENT -> "active";
              case BOT -> "released";
            })
            .put("agent", s.state().agentName().orElse(null))))
        .onFailure(e -> fail(ctx, e));
  }

  private void message(RoutingContext ctx) {
    Optional<StaffPrincipal> who = Access.require(ctx, Role.AGENT);
    Optional<UUID> id = who.isEmpty() ? Optional.empty() : id(ctx);
    if (id.isEmpty()) {
      return;
    }
    Optional<JsonObject> parsed = HttpJson.body(ctx);
    if (parsed.isEmpty()) {
      return;
    }
    JsonObject body = parsed.get();
    if (!(body.getValue("text") instanceof String text) || text.isBlank() || text.length() > 4_000) {
      ctx.fail(400, new IllegalArgumentException("A message needs a \"text\" of 1 to 4000 characters."));
      return;
    }
    BotEngine.Agent agent = agent(who.get(), body);
    visible(who.get(), id.get())
        .compose(c -> "web".equals(c.channel()) ? engine.agentMessage(c.id(), agent, text)
            : Future.failedFuture(new Conflict("A " + c.channel() + " conversation cannot be written to; only a web"
                + " chat can.")))
        .onSuccess(v -> ctx.response().setStatusCode(202).putHeader("content-type", "application/json")
            .end(new JsonObject().put("queued", true).encode()))
        .onFailure(e -> fail(ctx, e));
  }

  /** The conversation when the principal may see it; else a failed future that answers 404. */
  private Future<Conversation> visible(StaffPrincipal who, UUID id) {
    return conversations.find(id).compose(found -> found.filter(c -> who.sees(c.tenantId()))
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new Access.NotFound("There is no such conversation."))));
  }

  private static void fail(RoutingContext ctx, Throwable e) {
    if (e instanceof Access.NotFound || e instanceof ConversationStore.UnknownConversationException) {
      ctx.fail(404, new Access.NotFound("There is no such conversation."));
    } else if (e instanceof HeldByAnotherAgent held) {
      ctx.fail(409, new Conflict(held.holder() + " already holds this conversation."));
    } else if (e instanceof NotHeld notHeld) {
      ctx.fail(409, new Conflict(capitalized(notHeld.getMessage()) + "."));
    } else if (e instanceof Conflict || e instanceof AgentPresence.AtCapacity) {
      ctx.fail(409, e);
    } else if (e instanceof ConversationStore.ConversationBusyException) {
      ctx.fail(503, e);
    } else {
      ctx.fail(e);
    }
  }

  private static String capitalized(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  /**
   * The person answering: a user by their e-mail address and display name; the operator (automation) may name the
   * person it speaks for in {@code "agent"}.
   */
  public static BotEngine.Agent agent(StaffPrincipal who, JsonObject body) {
    if (!who.isOperator()) {
      return new BotEngine.Agent(who.actor(), who.name());
    }
    String name = body.getValue("agent") instanceof String a && HttpJson.plain(a) && !a.isBlank() ? a.strip() : "staff";
    return new BotEngine.Agent(StaffPrincipal.OPERATOR + ":" + name, name);
  }

  private static Optional<UUID> id(RoutingContext ctx) {
    try {
      return Optional.of(UUID.fromString(ctx.pathParam("id")));
    } catch (IllegalArgumentException e) {
      ctx.fail(404, new Access.NotFound("There is no such conversation."));
      return Optional.empty();
    }
  }

  /** A request that conflicts with who holds the conversation (409), with a message for the agent. */
  static final class Conflict extends IllegalArgumentException {
    Conflict(String message) {
      super(message);
    }
  }
}
