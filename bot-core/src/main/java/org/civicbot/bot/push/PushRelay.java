package org.civicbot.bot.push;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.civicbot.bot.BotEngine;
import org.civicbot.bot.conversation.ConversationEvent;
import org.civicbot.bot.conversation.ConversationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.UUID;

/**
 * Carries pushes (a person's message to a citizen, a change of who answers) to every replica on one PostgreSQL: each
 * push made here is announced with {@code NOTIFY civicbot_push} carrying only ids ({@code {"o": replica, "c":
 * conversation, "s": seq}}); every other replica, listening on one dedicated connection ({@link PgSubscriber}, which
 * reconnects by itself), reads the event from the conversation's log and delivers it to its own listeners (the citizen
 * WebSocket it holds). Notifications sent while a replica was disconnected are lost: when the listening connection is
 * back, {@link #onReconnect} actions re-read from the tables (the chat API tells its sockets to catch up from the
 * transcript, as the widget also does when its own socket reconnects); the inbox reads the tables on every refresh.
 */
public final class PushRelay implements AutoCloseable {
  static final String CHANNEL = "civicbot_push";
  private static final Logger LOG = LoggerFactory.getLogger(PushRelay.class);

  private final String origin = UUID.randomUUID().toString();
  private final PgSubscriber subscriber;
  private final Pool pool;
  private final ConversationStore conversations;
  private final BotEngine.PushListener deliver;
  /** The last delivery; notifications arrive on the subscriber's event loop, so this is only touched from there. */
  private Future<Void> delivered = Future.succeededFuture();
  /** The last announcement sent. */
  private Future<Void> announced = Future.succeededFuture();
  private final java.util.List<Runnable> reconnected = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Touched on the subscriber's event loop only. */
  private boolean subscribedOnce;

  private PushRelay(Vertx vertx, PgConnectOptions options, Pool pool, ConversationStore conversations,
                    BotEngine.PushListener deliver) {
    this.subscriber = PgSubscriber.subscriber(vertx, new PgConnectOptions(options))
        .reconnectPolicy(retries -> retries < 1_000_000 ? 1_000L : -1L);
    this.pool = pool;
    this.conversations = conversations;
    this.deliver = deliver;
  }

  /** Listens for other replicas' pushes and announces this one's; completes once listening. */
  public static Future<PushRelay> start(Vertx vertx, PgConnectOptions options, Pool pool,
                                        ConversationStore conversations, BotEngine engine) {
    return listen(vertx, options, pool, conversations, engine::pushedElsewhere).onSuccess(relay ->
        engine.addLocalListener(relay::announce));
  }

  /** Listens for other replicas' pushes, handing each to {@code deliver}; {@link #announce} tells them of this one's. */
  public static Future<PushRelay> listen(Vertx vertx, PgConnectOptions options, Pool pool,
                                         ConversationStore conversations, BotEngine.PushListener deliver) {
    PushRelay relay = new PushRelay(vertx, options, pool, conversations, deliver);
    relay.subscriber.channel(CHANNEL).handler(relay::received).subscribeHandler(v -> relay.subscribed());
    relay.subscriber.closeHandler(v -> LOG.warn("Push relay: the listening connection closed; reconnecting"));
    return relay.subscriber.connect().map(relay);
  }

  /**
   * Runs {@code action} each time the listening connection is back after it was lost: the notifications sent meanwhile
   * are gone, so whoever holds state fed by them re-reads it from the tables (the chat API tells its sockets to catch
   * up). Not run for the first subscription.
   */
  public void onReconnect(Runnable action) {
    reconnected.add(action);
  }

  private void subscribed() {
    if (!subscribedOnce) {
      subscribedOnce = true;
      return;
    }
    LOG.info("Push relay: listening again; re-reading what may have been missed");
    reconnected.forEach(Runnable::run);
  }

  /** Tells the other replicas of a push made here. */
  public void announce(UUID conversationId, BotEngine.PushedMessage pushed) {
    JsonObject json = new JsonObject().put("o", origin).put("c", conversationId.toString());
    // a typing notice is in no table: it travels whole (a type, who, a display name), still a few dozen bytes
    String payload = (pushed.ephemeral() ? json.put("t", pushed.type()).put("f", pushed.from())
        .put("a", pushed.agent()) : json.put("s", pushed.seq())).encode();
    // one after another: two notifications sent on two pooled connections at once may arrive in either order
    synchronized (this) {
      announced = announced.transform(ignored -> pool.preparedQuery("SELECT pg_notify($1, $2)")
          .execute(Tuple.of(CHANNEL, payload))
          .onFailure(e -> LOG.warn("Push relay: could not announce a push of {}: {}", conversationId, e.getMessage()))
          .<Void>mapEmpty().recover(e -> Future.succeededFuture()));
    }
  }

  private void received(String payload) {
    JsonObject json;
    UUID conversationId;
    int seq;
    try {
      json = new JsonObject(payload);
      conversationId = UUID.fromString(json.getString("c"));
      seq = json.containsKey("t") ? -1 : json.getInteger("s");
    } catch (RuntimeException e) {
      LOG.warn("Push relay: ignored a malformed notification");
      return;
    }
    if (origin.equals(json.getString("o"))) {
      return;
    }
    if (seq < 0) {
      if ("typing".equals(json.getString("t"))
          && ("agent".equals(json.getString("f")) || "citizen".equals(json.getString("f")))) {
        BotEngine.PushedMessage typing = BotEngine.PushedMessage.typing(json.getString("f"), json.getString("a"));
        delivered = delivered.transform(ignored -> {
          deliver.pushed(conversationId, typing);
          return Future.<Void>succeededFuture();
        });
      }
      return;
    }
    // delivered in the order announced (a claim before the message that follows it), though read concurrently
    Future<Optional<BotEngine.PushedMessage>> read = conversations.events(conversationId)
        .map(events -> events.stream().filter(e -> e.seq() == seq).findFirst().flatMap(PushRelay::pushed));
    delivered = delivered.transform(ignored -> read)
        .onSuccess(pushed -> pushed.ifPresent(p -> deliver.pushed(conversationId, p)))
        .onFailure(e -> LOG.warn("Push relay: could not read event {} of {}: {}", seq, conversationId,
            e.getMessage()))
        .<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }

  /** The push an event of the log was, if it was one. */
  static Optional<BotEngine.PushedMessage> pushed(ConversationEvent e) {
    JsonObject p = e.payload();
    return switch (e.type()) {
      case AGENT_MESSAGE -> Optional.of(BotEngine.PushedMessage.message("agent", p.getString("agent"),
          p.getString("text"), e.seq()));
      case MESSAGE_IN -> Optional.of(BotEngine.PushedMessage.message("citizen", null, p.getString("text"), e.seq()));
      case CLAIMED -> Optional.of(BotEngine.PushedMessage.change("claimed", p.getString("agent"), e.seq()));
      case RELEASED -> Optional.of(BotEngine.PushedMessage.change("released", p.getString("agent"), e.seq()));
      case ENDED -> Optional.of(BotEngine.PushedMessage.change("closed", p.getString("agent"), e.seq()));
      default -> Optional.empty();
    };
  }

  @Override
  public void close() {
    subscriber.close();
  }
}
