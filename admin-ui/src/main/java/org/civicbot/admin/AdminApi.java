package org.civicbot.admin;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.civicbot.bot.BotEngine;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.privacy.CitizenText;
import org.civicbot.bot.handoff.CallbackQueue;
import org.civicbot.bot.handoff.CallbackRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The admin API of DESIGN under {@code /api/v1/admin}: transcripts with decision traces for staff, and a person's
 * reply into a handed-off conversation, and the callbacks callers asked for when no one could take their call. Every
 * route needs the admin bearer token.
 */
public final class AdminApi {

  private final BotEngine engine;
  private final ConversationStore conversations;
  private final CallbackQueue callbacks;
  private final BearerTokenAuth auth;

  public AdminApi(BotEngine engine, ConversationStore conversations, CallbackQueue callbacks,
                  Optional<String> adminToken) {
    this.engine = engine;
    this.conversations = conversations;
    this.callbacks = callbacks;
    this.auth = new BearerTokenAuth(adminToken);
  }

  /** Mounts the routes; expects a body handler before them. */
  public void mount(Router router) {
    router.route("/api/v1/admin/*").handler(auth);
    router.get("/api/v1/admin/conversations/:id").handler(this::conversation);
    router.get("/api/v1/admin/conversations").handler(this::byExternalId);
    router.post("/api/v1/admin/conversations/:id/messages").handler(this::agentMessage);
    router.get("/api/v1/admin/callbacks").handler(this::callbacks);
    router.post("/api/v1/admin/callbacks/:id/handled").handler(this::callbackHandled);
  }

  /** {@code ?tenant=} narrows to one tenant, {@code ?status=all} includes the handled ones (default: open). */
  private void callbacks(RoutingContext ctx) {
    String status = Optional.ofNullable(ctx.queryParams().get("status")).orElse("open");
    if (!status.equals("open") && !status.equals("all")) {
      ctx.fail(400, new IllegalArgumentException("\"status\" is \"open\" or \"all\"."));
      return;
    }
    Optional<String> tenant = Optional.ofNullable(ctx.queryParams().get("tenant")).filter(t -> !t.isBlank());
    callbacks.list(tenant, status.equals("all"))
        .onSuccess(list -> {
          JsonArray json = new JsonArray();
          list.forEach(request -> json.add(toJson(request)));
          send(ctx, new JsonObject().put("callbacks", json));
        })
        .onFailure(ctx::fail);
  }

  private void callbackHandled(RoutingContext ctx) {
    Optional<UUID> id = id(ctx, "There is no such callback request.");
    Optional<JsonObject> body = id.isEmpty() ? Optional.empty() : jsonBody(ctx);
    if (body.isEmpty()) {
      return;
    }
    String agent = body.get().getValue("agent") instanceof String a && plain(a) && !a.isBlank() ? a.strip() : "staff";
    callbacks.markHandled(id.get(), agent)
        .onSuccess(found -> found.ifPresentOrElse(request -> send(ctx, toJson(request)),
            () -> ctx.fail(404, new NotFound("There is no such callback request."))))
        .onFailure(ctx::fail);
  }

  private static JsonObject toJson(CallbackRequest request) {
    return new JsonObject()
        .put("id", request.id().toString())
        .put("tenant", request.tenantId())
        .put("conversationId", request.conversationId().toString())
        .put("phoneNumber", request.phoneNumber())
        .put("lang", request.lang().code())
        .put("requestedAt", request.requestedAt().toString())
        .put("status", request.open() ? "open" : "handled")
        .put("handledAt", request.handledAt().map(Object::toString).orElse(null))
        .put("handledBy", request.handledBy().orElse(null));
  }

  private void conversation(RoutingContext ctx) {
    Optional<UUID> id = id(ctx);
    if (id.isEmpty()) {
      return;
    }
    conversations.find(id.get())
        .compose(found -> found.map(this::transcript).orElseGet(() -> Future.failedFuture(notFound())))
        .onSuccess(json -> send(ctx, json))
        .onFailure(e -> ctx.fail(e instanceof NotFound ? 404 : 500, e));
  }

  private void byExternalId(RoutingContext ctx) {
    String channel = ctx.queryParams().get("channel");
    String externalId = ctx.queryParams().get("externalId");
    if (channel == null || channel.isBlank() || externalId == null || externalId.isBlank()) {
      ctx.fail(400, new IllegalArgumentException("Give both \"channel\" and \"externalId\" as query parameters."));
      return;
    }
    if (!plain(channel) || !plain(externalId)) {
      ctx.fail(400, new IllegalArgumentException("\"channel\" and \"externalId\" must be at most 200 characters"
          + " without control characters."));
      return;
    }
    conversations.findByExternalId(channel, externalId)
        .compose(found -> {
          List<Future<JsonObject>> transcripts = new ArrayList<>();
          found.forEach(c -> transcripts.add(transcript(c)));
          return Future.all(transcripts).map(all -> {
            JsonArray list = new JsonArray();
            transcripts.forEach(f -> list.add(f.result()));
            return new JsonObject().put("conversations", list);
          });
        })
        .onSuccess(json -> send(ctx, json))
        .onFailure(ctx::fail);
  }

  private void agentMessage(RoutingContext ctx) {
    Optional<UUID> id = id(ctx);
    if (id.isEmpty()) {
      return;
    }
    Optional<JsonObject> parsed = jsonBody(ctx);
    if (parsed.isEmpty()) {
      return;
    }
    JsonObject body = parsed.get();
    if (!(body.getValue("text") instanceof String text) || text.isBlank() || text.length() > 4_000) {
      ctx.fail(400, new IllegalArgumentException("A message needs a \"text\" of 1 to 4000 characters."));
      return;
    }
    String agent = body.getValue("agent") instanceof String a && plain(a) && !a.isBlank() ? a.strip() : "staff";
    engine.agentMessage(id.get(), agent, text)
        .onSuccess(v -> ctx.response().setStatusCode(202).putHeader("content-type", "application/json")
            .end(new JsonObject().put("queued", true).encode()))
        .onFailure(e -> ctx.fail(e instanceof ConversationStore.UnknownConversationException ? 404 : 500,
            e instanceof ConversationStore.UnknownConversationException ? notFound() : e));
  }

  private Future<JsonObject> transcript(Conversation c) {
    return conversations.events(c.id()).map(events -> Transcripts.of(c, events));
  }

  /** The body as a JSON object (an empty body is an empty object); fails the request with 400 otherwise. */
  private static Optional<JsonObject> jsonBody(RoutingContext ctx) {
    try {
      Optional<JsonObject> parsed = ctx.body().isEmpty() ? Optional.of(new JsonObject())
          : Optional.ofNullable(ctx.body().asJsonObject());
      if (parsed.isPresent()) {
        return parsed;
      }
    } catch (DecodeException | ClassCastException e) {
      // answered below
    }
    ctx.fail(400, new IllegalArgumentException("The request body is not a valid JSON object."));
    return Optional.empty();
  }

  /** A short name or id a staff tool sends: at most 200 characters, no control characters (PostgreSQL refuses NUL). */
  private static boolean plain(String value) {
    return value.length() <= 200 && CitizenText.withoutControls(value).equals(value) && value.indexOf('\n') < 0
        && value.indexOf('\t') < 0;
  }

  private static Optional<UUID> id(RoutingContext ctx) {
    return id(ctx, "There is no such conversation.");
  }

  private static Optional<UUID> id(RoutingContext ctx, String notFoundMessage) {
    try {
      return Optional.of(UUID.fromString(ctx.pathParam("id")));
    } catch (IllegalArgumentException e) {
      ctx.fail(404, new NotFound(notFoundMessage));
      return Optional.empty();
    }
  }

  private static NotFound notFound() {
    return new NotFound("There is no such conversation.");
  }

  /** No such thing (the message says which); answered 404. */
  private static final class NotFound extends IllegalArgumentException {
    NotFound(String message) {
      super(message);
    }
  }

  private static void send(RoutingContext ctx, JsonObject json) {
    ctx.response().putHeader("content-type", "application/json; charset=utf-8").putHeader("cache-control", "no-store")
        .end(json.encode());
  }
}
