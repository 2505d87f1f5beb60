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

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The admin API of DESIGN under {@code /api/v1/admin}: transcripts with decision traces for staff, and a person's
 * reply into a handed-off conversation. Every route needs the admin bearer token.
 */
public final class AdminApi {

  private final BotEngine engine;
  private final ConversationStore conversations;
  private final BearerTokenAuth auth;

  public AdminApi(BotEngine engine, ConversationStore conversations, Optional<String> adminToken) {
    this.engine = engine;
    this.conversations = conversations;
    this.auth = new BearerTokenAuth(adminToken);
  }

  /** Mounts the routes; expects a body handler before them. */
  public void mount(Router router) {
    router.route("/api/v1/admin/*").handler(auth);
    router.get("/api/v1/admin/conversations/:id").handler(this::conversation);
    router.get("/api/v1/admin/conversations").handler(this::byExternalId);
    router.post("/api/v1/admin/conversations/:id/messages").handler(this::agentMessage);
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
    JsonObject body;
    try {
      body = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      ctx.fail(400, new IllegalArgumentException("The request body is not a valid JSON object."));
      return;
    }
    if (!(body.getValue("text") instanceof String text) || text.isBlank() || text.length() > 4_000) {
      ctx.fail(400, new IllegalArgumentException("A message needs a \"text\" of 1 to 4000 characters."));
      return;
    }
    String agent = body.getValue("agent") instanceof String a && !a.isBlank() ? a : "staff";
    engine.agentMessage(id.get(), agent, text)
        .onSuccess(v -> ctx.response().setStatusCode(202).putHeader("content-type", "application/json")
            .end(new JsonObject().put("queued", true).encode()))
        .onFailure(e -> ctx.fail(e instanceof ConversationStore.UnknownConversationException ? 404 : 500,
            e instanceof ConversationStore.UnknownConversationException ? notFound() : e));
  }

  private Future<JsonObject> transcript(Conversation c) {
    return conversations.events(c.id()).map(events -> Transcripts.of(c, events));
  }

  private static Optional<UUID> id(RoutingContext ctx) {
    try {
      return Optional.of(UUID.fromString(ctx.pathParam("id")));
    } catch (IllegalArgumentException e) {
      ctx.fail(404, notFound());
      return Optional.empty();
    }
  }

  private static NotFound notFound() {
    return new NotFound();
  }

  /** No conversation with that id. */
  private static final class NotFound extends IllegalArgumentException {
    NotFound() {
      super("There is no such conversation.");
    }
  }

  private static void send(RoutingContext ctx, JsonObject json) {
    ctx.response().putHeader("content-type", "application/json; charset=utf-8").putHeader("cache-control", "no-store")
        .end(json.encode());
  }
}
