package org.civicbot.channels.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import org.civicbot.bot.BotEngine;
import org.civicbot.bot.BotReply;
import org.civicbot.bot.ChannelAction;
import org.civicbot.bot.InboundMessage;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationEvent;
import org.civicbot.bot.conversation.ConversationState;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.handoff.CallbackQueue;
import org.civicbot.bot.handoff.CallbackRequest;
import org.civicbot.bot.privacy.CitizenText;
import org.civicbot.bot.privacy.PiiRedactor;
import org.civicbot.bot.privacy.Visitors;
import org.civicbot.bot.render.MarkdownRenderer;
import org.civicbot.knowledge.ExpiringCache;
import org.civicbot.knowledge.Language;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The chat API of DESIGN under {@code /api/v1/conversations}: start a conversation, send messages, give feedback,
 * read the transcript back (for a reloaded page), and a WebSocket per conversation that pushes what does not answer
 * a request (a person's replies). Handlers parse, call the engine and render; errors go through the router's failure
 * handler as JSON.
 */
public final class ChatApi {
  private static final Logger LOG = LoggerFactory.getLogger(ChatApi.class);
  public static final String CHANNEL = "web";
  private static final String PUSH_ADDRESS = "civicbot.conversation.";
  private static final String RESYNC_ADDRESS = "civicbot.conversations.resync";
  private static final String RESYNC = new JsonObject().put("type", "resync").encode();

  private final Vertx vertx;
  private final BotEngine engine;
  private final ConversationStore conversations;
  private final CallbackQueue contacts;
  private final Predicate<String> tenantAvailable;
  private final WebChatSettings settings;
  private final RateLimiter perClient;
  private final RateLimiter perConversation;
  private final MarkdownRenderer markdown = new MarkdownRenderer();
  /**
   * The bot's replies as HTML: they are the editors' answers and the assistant's texts, few and repeated, so each is
   * rendered once (rendering is the costliest step on the event loop). Citizens' and agents' texts are not cached.
   */
  private final ExpiringCache<String, String> botHtml = new ExpiringCache<>(Duration.ofHours(1), 5_000);

  public ChatApi(Vertx vertx, BotEngine engine, ConversationStore conversations, CallbackQueue contacts,
                 Predicate<String> tenantAvailable, WebChatSettings settings) {
    this.vertx = vertx;
    this.contacts = contacts;
    this.engine = engine;
    this.conversations = conversations;
    this.tenantAvailable = tenantAvailable;
    this.settings = settings;
    this.perClient = new RateLimiter(settings.clientPerMinute());
    this.perConversation = new RateLimiter(settings.conversationPerMinute());
    engine.addListener((id, pushed) -> {
      // the citizen's own messages are not echoed back to them
      if ("citizen".equals(pushed.from())) {
        return;
      }
      JsonObject json = new JsonObject().put("type", pushed.type()).put("from", pushed.from())
          .put("agent", pushed.agent()).put("seq", pushed.seq());
      if (pushed.text() != null) {
        json.put("text", pushed.text()).put("html", markdown.toSafeHtml(pushed.text()));
      }
      vertx.eventBus().publish(PUSH_ADDRESS + id, json);
    });
    vertx.setPeriodic(60_000, id -> {
      perClient.sweep();
      perConversation.sweep();
    });
  }

  /**
   * Tells every citizen's socket this replica holds to catch up from the transcript: pushes made meanwhile on other
   * replicas may be lost (the push relay calls this when its listening connection is back).
   */
  public void resync() {
    vertx.eventBus().publish(RESYNC_ADDRESS, new JsonObject());
  }

  /**
   * Mounts the WebSocket route; call before any body handler, which would consume the upgrade request.
   */
  public void mountWebSocket(Router router) {
    router.get("/api/v1/conversations/:id/events").handler(this::events);
  }

  /** Mounts the HTTP routes; expects a body handler before them. */
  public void mount(Router router) {
    router.route("/api/v1/conversations*").handler(CorsHandler.create()
        .addOrigin("*")
        .allowedMethod(HttpMethod.GET).allowedMethod(HttpMethod.POST)
        .allowedHeader("content-type"));
    router.post("/api/v1/conversations").handler(this::start);
    router.post("/api/v1/conversations/:id/messages").handler(this::message);
    router.post("/api/v1/conversations/:id/feedback").handler(this::feedback);
    router.post("/api/v1/conversations/:id/contact").handler(this::contact);
    router.post("/api/v1/conversations/:id/typing").handler(this::typing);
    router.post("/api/v1/conversations/:id/end").handler(this::end);
    router.get("/api/v1/conversations/:id").handler(this::transcript);
    router.get("/api/v1/conversations/:id/queue").handler(this::queue);
    router.get("/api/v1/conversations/:id/transcript.txt").handler(this::transcriptText);
  }

  private void start(RoutingContext ctx) {
    if (!allowedForClient(ctx)) {
      return;
    }
    JsonObject body = jsonBody(ctx);
    if (body == null) {
      return;
    }
    String channel = body.getValue("channel") instanceof String s ? s : CHANNEL;
    if (!CHANNEL.equals(channel)) {
      ctx.fail(400, new IllegalArgumentException("Only \"web\" conversations can be started here, not \""
          + channel + "\"."));
      return;
    }
    Optional<Language> lang;
    try {
      lang = language(body.getValue("lang"));
    } catch (IllegalArgumentException e) {
      ctx.fail(400, e);
      return;
    }
    Object tenantValue = body.getValue("tenant");
    String tenant = tenantValue instanceof String s && !s.isBlank() ? s : settings.defaultTenant();
    if (!tenantAvailable.test(tenant)) {
      ctx.fail(404, new IllegalArgumentException("There is no municipality \"" + tenant + "\" here."));
      return;
    }
    Object visitorValue = body.getValue("visitor");
    if (visitorValue != null && !(visitorValue instanceof String v && v.length() >= 16 && v.length() <= 100)) {
      ctx.fail(400, new IllegalArgumentException("\"visitor\" is the widget's random visitor id (16 to 100"
          + " characters)."));
      return;
    }
    engine.start(tenant, CHANNEL, Optional.empty(), lang)
        .compose(started -> visitorValue == null ? Future.succeededFuture(started)
            : conversations.setVisitor(started.conversation().id(), Visitors.ofVisitorId(tenant, (String) visitorValue))
                .map(started))
        .onSuccess(started -> {
          JsonObject json = replyJson(started.greeting()).put("id", started.conversation().id().toString());
          ctx.response().setStatusCode(201)
              .putHeader("location", "/api/v1/conversations/" + started.conversation().id());
          sendJson(ctx, json);
        })
        .onFailure(ctx::fail);
  }

  private void message(RoutingContext ctx) {
    Optional<UUID> id = allowedConversation(ctx);
    if (id.isEmpty()) {
      return;
    }
    JsonObject body = jsonBody(ctx);
    Optional<String> accepted = body == null ? Optional.empty() : acceptedText(ctx, id.get(), body);
    if (accepted.isEmpty()) {
      return;
    }
    String text = accepted.get();
    long started = System.nanoTime();
    webConversation(ctx, id.get()).compose(conversation -> engine.handle(new InboundMessage(
            conversation.tenantId(), conversation.id(), CHANNEL, text, Optional.empty(),
            Map.of("userAgent", userAgentFamily(ctx)))))
        .timeout(settings.turnDeadline().toMillis(), TimeUnit.MILLISECONDS)
        .onSuccess(reply -> {
          ctx.response().putHeader("server-timing", String.format(Locale.ROOT, "engine;dur=%.2f",
              (System.nanoTime() - started) / 1e6));
          sendJson(ctx, replyJson(reply));
        })
        .onFailure(e -> failConversation(ctx, e));
  }

  /**
   * Outside opening hours a citizen waiting for a person leaves a message and a way to be reached:
   * {@code {"text", "email"?, "phone"?, "callBack"?}}. The message joins the conversation like any message to a
   * person (redacted, in the queue); the e-mail address and phone number are kept apart, for the person who answers.
   * 201 when saved; 409 when the conversation is not waiting for a person.
   */
  private void contact(RoutingContext ctx) {
    Optional<UUID> id = allowedConversation(ctx);
    if (id.isEmpty()) {
      return;
    }
    JsonObject body = jsonBody(ctx);
    Optional<String> accepted = body == null ? Optional.empty() : acceptedText(ctx, id.get(), body);
    if (accepted.isEmpty()) {
      return;
    }
    String text = accepted.get();
    Optional<String> phone;
    Optional<String> email;
    try {
      phone = optionalText(body, "phone").map(p -> CallbackRequest.phoneNumberOf(p).orElseThrow(() ->
          new IllegalArgumentException("\"phone\" is not a phone number (write it as 20 30 40 50 or +45 20 30 40 50).")));
      email = optionalText(body, "email").map(e -> {
        if (!CallbackRequest.isEmail(e.strip())) {
          throw new IllegalArgumentException("\"email\" is not an e-mail address.");
        }
        return e.strip();
      });
    } catch (IllegalArgumentException e) {
      ctx.fail(400, e);
      return;
    }
    if (phone.isEmpty() && email.isEmpty()) {
      ctx.fail(400, new IllegalArgumentException("Leave an \"email\" or a \"phone\" number so we can contact you."));
      return;
    }
    if (body.containsKey("callBack") && !(body.getValue("callBack") instanceof Boolean)) {
      ctx.fail(400, new IllegalArgumentException("\"callBack\" is true or false."));
      return;
    }
    boolean callBack = body.getBoolean("callBack", false);
    webConversation(ctx, id.get())
        .compose(c -> conversations.snapshot(c.id()).compose(s -> s.conversation().endedAt().isEmpty()
            && s.state().owner() == ConversationState.Owner.QUEUE ? Future.succeededFuture(s)
            : Future.failedFuture(new NotWaiting()))
            .compose(s -> contacts.leaveMessage(c.tenantId(), c.id(), phone, email, callBack, s.state().lang()))
            .compose(r -> engine.handle(new InboundMessage(c.tenantId(), c.id(), CHANNEL, text, Optional.empty(),
                Map.of("userAgent", userAgentFamily(ctx), "leftMessage", "true")))))
        .onSuccess(reply -> {
          // the message as stored: the widget shows that, and says so when a CPR number was removed
          JsonObject saved = new JsonObject().put("saved", true).put("callBack", callBack && phone.isPresent())
              .put("stored", reply.storedText());
          if (reply.storedText().contains(PiiRedactor.CPR)) {
            saved.put("removed", new JsonArray().add("cpr"));
          }
          ctx.response().setStatusCode(201).putHeader("content-type", "application/json")
              .putHeader("cache-control", "no-store").end(saved.encode());
        })
        .onFailure(e -> {
          if (e instanceof NotWaiting) {
            ctx.fail(409, e);
          } else {
            failConversation(ctx, e);
          }
        });
  }

  /**
   * The citizen is typing to the person who holds the conversation: told to the agent's inbox (204). Nothing happens
   * while the bot answers; it is no message and is not stored.
   */
  private void typing(RoutingContext ctx) {
    Optional<UUID> id = allowedConversation(ctx);
    if (id.isEmpty()) {
      return;
    }
    webConversation(ctx, id.get()).compose(c -> conversations.snapshot(c.id()))
        .onSuccess(s -> {
          if (s.conversation().endedAt().isEmpty() && s.state().owner() == ConversationState.Owner.AGENT) {
            engine.typing(s.conversation().id(), BotEngine.PushedMessage.typing("citizen", null));
          }
          ctx.response().setStatusCode(204).putHeader("cache-control", "no-store").end();
        })
        .onFailure(e -> failConversation(ctx, e));
  }

  /**
   * While the citizen waits for a person: {@code {"waiting": true, "position": 2, "inQueue": 3,
   * "typicalWaitMinutes": 4}} (the last only when the municipality has recent history); {@code {"waiting": false}}
   * once someone holds the conversation, or it is not queued.
   */
  private void queue(RoutingContext ctx) {
    Optional<UUID> id = allowedConversation(ctx);
    if (id.isEmpty()) {
      return;
    }
    webConversation(ctx, id.get()).compose(c -> conversations.queuePlace(c.id()))
        .onSuccess(place -> sendJson(ctx, place.map(p -> {
          JsonObject json = new JsonObject().put("waiting", true).put("position", p.position())
              .put("inQueue", p.waiting());
          p.typicalWaitSeconds().ifPresent(s -> json.put("typicalWaitMinutes", Math.max(1, Math.round(s / 60.0))));
          return json;
        }).orElse(new JsonObject().put("waiting", false))))
        .onFailure(e -> failConversation(ctx, e));
  }

  /**
   * The conversation as a text file for the citizen to keep ({@code ?lang=da|en} for the labels; default the
   * conversation's): what they wrote, as stored (personal data removed), the bot's and the staff's replies, with the
   * time of each.
   */
  private void transcriptText(RoutingContext ctx) {
    Optional<UUID> id = allowedConversation(ctx);
    if (id.isEmpty()) {
      return;
    }
    Optional<Language> asked;
    try {
      asked = language(ctx.queryParams().get("lang"));
    } catch (IllegalArgumentException e) {
      ctx.fail(400, e);
      return;
    }
    webConversation(ctx, id.get())
        .compose(c -> conversations.events(c.id()).map(events -> TranscriptText.of(c, events,
            asked.orElse(c.lang()), settings.zone())))
        .onSuccess(text -> ctx.response().putHeader("content-type", "text/plain; charset=utf-8")
            .putHeader("content-disposition", "attachment; filename=\"civicbot-chat.txt\"")
            .putHeader("cache-control", "no-store").end(text))
        .onFailure(e -> failConversation(ctx, e));
  }

  /**
   * The citizen's {@code "text"} for conversation {@code id}, or empty when the request was failed: 400 without
   * one, 413 when too long, 429 when the conversation gets messages too fast.
   */
  private Optional<String> acceptedText(RoutingContext ctx, UUID id, JsonObject body) {
    if (!(body.getValue("text") instanceof String text) || CitizenText.clean(text).isEmpty()) {
      ctx.fail(400, new IllegalArgumentException("The message needs a \"text\" with something in it."));
      return Optional.empty();
    }
    if (text.length() > settings.maxTextLength()) {
      ctx.fail(413, new IllegalArgumentException("The message is too long: " + text.length()
          + " characters, at most " + settings.maxTextLength() + " are allowed."));
      return Optional.empty();
    }
    RateLimiter.Verdict verdict = perConversation.tryAcquire(id.toString());
    if (!verdict.allowed()) {
      tooMany(ctx, verdict, "This conversation gets messages too fast. Please wait a moment.");
      return Optional.empty();
    }
    return Optional.of(text);
  }

  private static Optional<String> optionalText(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null || value instanceof String s && s.isBlank()) {
      return Optional.empty();
    }
    if (!(value instanceof String s) || s.length() > 254) {
      throw new IllegalArgumentException("\"" + field + "\" is a text of at most 254 characters.");
    }
    return Optional.of(s);
  }

  /** A message left for a person in a conversation that is not waiting for one. */
  private static final class NotWaiting extends IllegalArgumentException {
    NotWaiting() {
      super("This conversation is not waiting for a person: ask for one first.");
    }
  }

  private void feedback(RoutingContext ctx) {
    Optional<UUID> id = allowedConversation(ctx);
    if (id.isEmpty()) {
      return;
    }
    JsonObject body = jsonBody(ctx);
    if (body == null) {
      return;
    }
    if (!(body.getValue("resolved") instanceof Boolean resolved)) {
      ctx.fail(400, new IllegalArgumentException("Feedback needs \"resolved\": true or false."));
      return;
    }
    webConversation(ctx, id.get()).compose(c -> engine.feedback(c.id(), resolved))
        .onSuccess(reply -> sendJson(ctx, replyJson(reply)))
        .onFailure(e -> failConversation(ctx, e));
  }

  /**
   * The citizen closes the chat: the conversation ends and its resolution is judged (DESIGN); ending an ended one
   * changes nothing. Answers the conversation's state as the transcript gives it.
   */
  private void end(RoutingContext ctx) {
    Optional<UUID> id = allowedConversation(ctx);
    if (id.isEmpty()) {
      return;
    }
    webConversation(ctx, id.get())
        .compose(c -> engine.end(c.id(), "closed by citizen").compose(v -> conversations.find(c.id())))
        .onSuccess(c -> sendJson(ctx, new JsonObject().put("id", id.get().toString()).put("ended", true)
            .put("resolution", c.flatMap(Conversation::resolution).map(r -> r.wireName()).orElse(null))))
        .onFailure(e -> failConversation(ctx, e));
  }

  /** The path's conversation id when the client is within its limits; empty when the request was answered. */
  private Optional<UUID> allowedConversation(RoutingContext ctx) {
    return allowedForClient(ctx) ? conversationId(ctx) : Optional.empty();
  }

  private void transcript(RoutingContext ctx) {
    Optional<UUID> id = allowedConversation(ctx);
    if (id.isEmpty()) {
      return;
    }
    webConversation(ctx, id.get())
        .compose(c -> conversations.events(c.id()).map(events -> {
          JsonArray messages = new JsonArray();
          for (ConversationEvent e : events) {
            JsonObject p = e.payload();
            switch (e.type()) {
              case MESSAGE_IN -> messages.add(new JsonObject().put("from", "citizen").put("text", p.getString("text"))
                  .put("seq", e.seq()).put("leftMessage", "true".equals(p.getJsonObject("metadata", new JsonObject())
                      .getString("leftMessage"))));
              case REPLY_OUT -> {
                JsonArray replies = new JsonArray();
                p.getJsonArray("replies", new JsonArray()).forEach(r -> replies.add(renderStored((JsonObject) r)));
                JsonObject bot = new JsonObject().put("from", "bot").put("outcome", p.getString("outcome"))
                    .put("replies", replies).put("seq", e.seq());
                messages.add("leave_message".equals(p.getString("action")) ? bot.put("action", "leave_message") : bot);
              }
              case AGENT_MESSAGE -> messages.add(new JsonObject().put("from", "agent").put("agent", p.getString("agent"))
                  .put("text", p.getString("text"))
                  .put("html", markdown.toSafeHtml(p.getString("text", ""))).put("seq", e.seq()));
              default -> {
              }
            }
          }
          // who answers now: the person holding the conversation, for the widget's header after a reload
          ConversationState now = ConversationState.of(c.lang(), events);
          return new JsonObject().put("id", c.id().toString()).put("lang", c.lang().code())
              .put("owner", c.endedAt().isPresent() ? "bot" : now.owner().wireName())
              .put("agent", now.owner() == ConversationState.Owner.AGENT ? now.agentName().orElse(null) : null)
              .put("messages", messages);
        }))
        .onSuccess(json -> sendJson(ctx, json))
        .onFailure(e -> failConversation(ctx, e));
  }

  private void events(RoutingContext ctx) {
    Optional<UUID> id = conversationId(ctx);
    if (id.isEmpty()) {
      return;
    }
    // Upgrade at once, while the request is still unread; the conversation is checked on the open socket.
    ctx.request().toWebSocket()
        .onSuccess(ws -> conversations.find(id.get()).onComplete(found -> {
          if (found.failed() || found.result().isEmpty() || !CHANNEL.equals(found.result().get().channel())) {
            ws.close((short) 4404, "unknown conversation");
            return;
          }
          subscribe(ws, id.get());
        }))
        .onFailure(e -> LOG.debug("WebSocket upgrade failed for conversation {}", id.get(), e));
  }

  private void subscribe(ServerWebSocket ws, UUID id) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(PUSH_ADDRESS + id,
        message -> ws.writeTextMessage(message.body().encode()));
    consumer.completion().onSuccess(v -> ws.writeTextMessage(new JsonObject().put("type", "subscribed")
        .put("conversation", id.toString()).encode()));
    // pushes may have been missed (the replica's listening connection was down): the widget re-reads the transcript
    MessageConsumer<JsonObject> resync = vertx.eventBus().consumer(RESYNC_ADDRESS,
        message -> ws.writeTextMessage(RESYNC));
    ws.closeHandler(v -> {
      consumer.unregister();
      resync.unregister();
    });
    ws.textMessageHandler(text -> {
      // the socket only pushes; a client's "ping" is answered so it can tell the socket is alive
      if ("ping".equals(text)) {
        ws.writeTextMessage("{\"type\":\"pong\"}");
      }
    });
  }

  private Future<Conversation> webConversation(RoutingContext ctx, UUID id) {
    return conversations.find(id).compose(found -> found.filter(c -> CHANNEL.equals(c.channel()))
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new ConversationStore.UnknownConversationException(id))));
  }

  private static void failConversation(RoutingContext ctx, Throwable e) {
    if (e instanceof ConversationStore.UnknownConversationException) {
      ctx.fail(404, new IllegalArgumentException("There is no such conversation. Please start a new one."));
    } else if (e instanceof ConversationStore.ConversationBusyException || e instanceof TimeoutException) {
      // the turn may still be stored; the widget shows the message and the citizen may send again
      ctx.response().putHeader("retry-after", "2");
      ctx.fail(503, e);
    } else {
      ctx.fail(e);
    }
  }

  private boolean allowedForClient(RoutingContext ctx) {
    RateLimiter.Verdict verdict = perClient.tryAcquire(ctx.request().remoteAddress().hostAddress());
    if (verdict.allowed()) {
      return true;
    }
    tooMany(ctx, verdict, "Too many requests from your address. Please wait a moment and try again.");
    return false;
  }

  private static void tooMany(RoutingContext ctx, RateLimiter.Verdict verdict, String message) {
    ctx.response().putHeader("retry-after", Long.toString(verdict.retryAfterSeconds()));
    ctx.fail(429, new IllegalArgumentException(message));
  }

  private static Optional<UUID> conversationId(RoutingContext ctx) {
    try {
      return Optional.of(UUID.fromString(ctx.pathParam("id")));
    } catch (IllegalArgumentException e) {
      ctx.fail(404, new IllegalArgumentException("There is no such conversation. Please start a new one."));
      return Optional.empty();
    }
  }

  /** The request's JSON object, or null after failing the request with 400 (415 for another content type). */
  private static JsonObject jsonBody(RoutingContext ctx) {
    String type = ctx.request().getHeader("content-type");
    if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      ctx.fail(415, new IllegalArgumentException("Send the request body as application/json."));
      return null;
    }
    try {
      if (ctx.body().isEmpty()) {
        return new JsonObject();
      }
      JsonObject parsed = ctx.body().asJsonObject();
      if (parsed != null) {
        return parsed;
      }
    } catch (DecodeException | ClassCastException e) {
      // answered below
    }
    ctx.fail(400, new IllegalArgumentException("The request body is not a valid JSON object."));
    return null;
  }

  private static Optional<Language> language(Object value) {
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof String s && (s.equals("da") || s.equals("en"))) {
      return Optional.of(Language.fromCode(s));
    }
    throw new IllegalArgumentException("\"lang\" must be \"da\", \"en\" or null, not " + value + ".");
  }

  private JsonObject replyJson(BotReply reply) {
    JsonArray replies = new JsonArray();
    for (BotReply.Message m : reply.replies()) {
      JsonArray sources = new JsonArray();
      m.sources().forEach(s -> sources.add(new JsonObject().put("slug", s.slug()).put("title", s.title())
          .put("url", s.url())));
      JsonObject json = new JsonObject().put("text", m.text()).put("html", botHtml.get(m.text(), markdown::toSafeHtml))
          .put("sources", sources).put("suggestions", new JsonArray(m.suggestions()))
          .put("askFeedback", m.askFeedback());
      replies.add(withLead(json, m.lead()));
    }
    JsonArray articles = new JsonArray();
    reply.articles().forEach(a -> articles.add(new JsonObject().put("slug", a.slug())
        .put("score", Math.round(a.score() * 1000) / 1000.0)));
    JsonObject json = new JsonObject().put("outcome", reply.outcome().wireName()).put("lang", reply.lang().code())
        .put("replies", replies).put("articles", articles).put("turn", reply.turn());
    if (reply.storedText().contains(PiiRedactor.CPR)) {
      // the widget shows the message as stored and tells the citizen a CPR number was removed from it
      json.put("stored", reply.storedText()).put("removed", new JsonArray().add("cpr"));
    }
    // nobody is in: the widget offers to leave a message
    return reply.action() == ChannelAction.LEAVE_MESSAGE ? json.put("action", "leave_message") : json;
  }

  private JsonObject renderStored(JsonObject stored) {
    JsonObject json = new JsonObject().put("text", stored.getString("text"))
        .put("html", botHtml.get(stored.getString("text", ""), markdown::toSafeHtml))
        .put("sources", stored.getJsonArray("sources", new JsonArray()))
        .put("suggestions", stored.getJsonArray("suggestions", new JsonArray()))
        .put("askFeedback", stored.getBoolean("askFeedback", false));
    return withLead(json, stored.getString("lead", ""));
  }

  /** A long article's answer leads with the part that answers the question ({@code lead}, {@code leadHtml}). */
  private JsonObject withLead(JsonObject reply, String lead) {
    return lead == null || lead.isBlank() ? reply
        : reply.put("lead", lead).put("leadHtml", botHtml.get(lead, markdown::toSafeHtml));
  }

  private static void sendJson(RoutingContext ctx, JsonObject json) {
    ctx.response().putHeader("content-type", "application/json; charset=utf-8")
        .putHeader("cache-control", "no-store")
        .end(json.encode());
  }

  private static String userAgentFamily(RoutingContext ctx) {
    String ua = Optional.ofNullable(ctx.request().getHeader("user-agent")).orElse("").toLowerCase(Locale.ROOT);
    return ua.contains("mobile") ? "mobile" : ua.isEmpty() ? "unknown" : "desktop";
  }
}
