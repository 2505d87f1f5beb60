package org.civicbot.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.civicbot.admin.staff.AuditLog;
import org.civicbot.admin.staff.Role;
import org.civicbot.admin.staff.StaffPrincipal;
import org.civicbot.bot.BotEngine;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.handoff.CallbackQueue;
import org.civicbot.bot.handoff.CallbackRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The admin API of DESIGN under {@code /api/v1/admin}: transcripts with decision traces for staff, and a person's
 * reply into a handed-off conversation, and the callbacks callers asked for when no one could take their call. Every
 * route is authenticated before it (see {@link StaffRoutes}); transcripts need the role agent or manager, messages
 * and callbacks the role agent; a conversation of another tenant is answered 404. Reading a transcript is audited.
 */
public final class AdminApi {

  private final BotEngine engine;
  private final ConversationStore conversations;
  private final CallbackQueue callbacks;
  private final AuditLog audit;
  private final String defaultTenant;

  public AdminApi(BotEngine engine, ConversationStore conversations, CallbackQueue callbacks, AuditLog audit,
                  String defaultTenant) {
    this.engine = engine;
    this.conversations = conversations;
    this.callbacks = callbacks;
    this.audit = audit;
    this.defaultTenant = defaultTenant;
  }

  /** Mounts the routes; expects the body handler and the staff authentication before them. */
  public void mount(Router router) {
    router.get("/api/v1/admin/conversations/:id").handler(this::conversation);
    router.get("/api/v1/admin/conversations").handler(this::byExternalId);
    router.get("/api/v1/admin/callbacks").handler(this::callbacks);
    router.post("/api/v1/admin/callbacks/:id/handled").handler(this::callbackHandled);
  }

  /** {@code ?tenant=} narrows to one tenant, {@code ?status=all} includes the handled ones (default: open). */
  private void callbacks(RoutingContext ctx) {
    Optional<StaffPrincipal> who = Access.require(ctx, Role.AGENT);
    if (who.isEmpty()) {
      return;
    }
    String status = Optional.ofNullable(ctx.queryParams().get("status")).orElse("open");
    if (!status.equals("open") && !status.equals("all")) {
      ctx.fail(400, new IllegalArgumentException("\"status\" is \"open\" or \"all\"."));
      return;
    }
    Optional<String> requested = Optional.ofNullable(ctx.queryParams().get("tenant")).filter(t -> !t.isBlank());
    if (requested.isPresent() && !who.get().sees(requested.get())) {
      ctx.fail(404, new Access.NotFound("There is no such tenant."));
      return;
    }
    // a user sees their tenant's; the operator every tenant's unless it names one
    Optional<String> tenant = who.get().tenantId().or(() -> requested);
    callbacks.list(tenant, status.equals("all"))
        .onSuccess(list -> {
          JsonArray json = new JsonArray();
          list.forEach(request -> json.add(toJson(request)));
          HttpJson.send(ctx, new JsonObject().put("callbacks", json));
        })
        .onFailure(ctx::fail);
  }

  private void callbackHandled(RoutingContext ctx) {
    Optional<StaffPrincipal> who = Access.require(ctx, Role.AGENT);
    Optional<UUID> id = who.isEmpty() ? Optional.empty() : id(ctx, "There is no such callback request.");
    Optional<JsonObject> body = id.isEmpty() ? Optional.empty() : HttpJson.body(ctx);
    if (body.isEmpty()) {
      return;
    }
    String agent = HandoffApi.agent(who.get(), body.get()).name();
    callbacks.list(who.get().tenantId(), true)
        .compose(visible -> visible.stream().anyMatch(r -> r.id().equals(id.get()))
            ? callbacks.markHandled(id.get(), agent) : Future.succeededFuture(Optional.<CallbackRequest>empty()))
        .onSuccess(found -> found.ifPresentOrElse(request -> HttpJson.send(ctx, toJson(request)),
            () -> ctx.fail(404, new Access.NotFound("There is no such callback request."))))
        .onFailure(ctx::fail);
  }

  private static JsonObject toJson(CallbackRequest request) {
    return new JsonObject()
        .put("id", request.id().toString())
        .put("tenant", request.tenantId())
        .put("conversationId", request.conversationId().toString())
        .put("phoneNumber", request.phoneNumber().orElse(null))
        .put("email", request.email().orElse(null))
        .put("channel", request.channel())
        .put("callBack", request.callBack())
        .put("lang", request.lang().code())
        .put("requestedAt", request.requestedAt().toString())
        .put("status", request.open() ? "open" : "handled")
        .put("handledAt", request.handledAt().map(Object::toString).orElse(null))
        .put("handledBy", request.handledBy().orElse(null));
  }

  private void conversation(RoutingContext ctx) {
    Optional<StaffPrincipal> who = Access.require(ctx, Role.AGENT, Role.MANAGER);
    Optional<UUID> id = who.isEmpty() ? Optional.empty() : id(ctx);
    if (id.isEmpty()) {
      return;
    }
    conversations.find(id.get())
        .compose(found -> found.filter(c -> who.get().sees(c.tenantId())).map(this::transcript)
            .orElseGet(() -> Future.failedFuture(notFound()))
            .compose(json -> audit.record(who.get(), found.get().tenantId(), "transcript.read", id.get().toString())
                .map(json)))
        .onSuccess(json -> HttpJson.send(ctx, json))
        .onFailure(e -> ctx.fail(e instanceof Access.NotFound ? 404 : 500, e));
  }

  private void byExternalId(RoutingContext ctx) {
    Optional<StaffPrincipal> who = Access.require(ctx, Role.AGENT, Role.MANAGER);
    if (who.isEmpty()) {
      return;
    }
    String channel = ctx.queryParams().get("channel");
    String externalId = ctx.queryParams().get("externalId");
    if (channel == null || channel.isBlank() || externalId == null || externalId.isBlank()) {
      ctx.fail(400, new IllegalArgumentException("Give both \"channel\" and \"externalId\" as query parameters."));
      return;
    }
    if (!HttpJson.plain(channel) || !HttpJson.plain(externalId)) {
      ctx.fail(400, new IllegalArgumentException("\"channel\" and \"externalId\" must be at most 200 characters"
          + " without control characters."));
      return;
    }
    conversations.findByExternalId(channel, externalId)
        .compose(found -> {
          List<Future<JsonObject>> transcripts = new ArrayList<>();
          found.stream().filter(c -> who.get().sees(c.tenantId())).forEach(c -> transcripts.add(transcript(c)
              .compose(json -> audit.record(who.get(), c.tenantId(), "transcript.read", c.id().toString()).map(json))));
          return Future.all(transcripts).map(all -> {
            JsonArray list = new JsonArray();
            transcripts.forEach(f -> list.add(f.result()));
            return new JsonObject().put("conversations", list);
          });
        })
        .onSuccess(json -> HttpJson.send(ctx, json))
        .onFailure(ctx::fail);
  }

  private Future<JsonObject> transcript(Conversation c) {
    return conversations.events(c.id()).map(events -> Transcripts.of(c, events));
  }

  private static Optional<UUID> id(RoutingContext ctx) {
    return id(ctx, "There is no such conversation.");
  }

  private static Optional<UUID> id(RoutingContext ctx, String notFoundMessage) {
    try {
      return Optional.of(UUID.fromString(ctx.pathParam("id")));
    } catch (IllegalArgumentException e) {
      ctx.fail(404, new Access.NotFound(notFoundMessage));
      return Optional.empty();
    }
  }

  private static Access.NotFound notFound() {
    return new Access.NotFound("There is no such conversation.");
  }

}
