package org.civicbot.bot;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import org.civicbot.bot.conversation.ConversationEvent;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.conversation.EventType;
import org.civicbot.bot.policy.PolicySettings;
import org.civicbot.bot.testing.EngineFixture;
import org.civicbot.knowledge.Language;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.civicbot.knowledge.testing.Await.await;
import static org.civicbot.knowledge.testing.Await.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A turn decides before it takes its conversation's lock and holds the lock only to append: turns of one
 * conversation are still serialized, turns waiting for a held conversation do not take database connections from
 * other conversations, and a conversation longer than the limit ends politely.
 */
class TurnConcurrencyTest {
  private static EngineFixture sample;

  @BeforeAll
  static void engine() {
    sample = EngineFixture.sample();
  }

  /** An engine on the sample knowledge base whose turns wait up to {@code lockWait}, with {@code policy}. */
  private static BotEngine engine(Duration lockWait, PolicySettings policy) {
    return BotEngine.builder().vertx(sample.vertx).knowledgeBase(sample.knowledgeBase)
        .conversations(ConversationStore.create(sample.vertx, sample.database.pool(), lockWait))
        .languageModel(EngineFixture.languageModel()).policy(policy).build();
  }

  private static UUID start(BotEngine engine) {
    return await(engine.start(sample.tenant, "web", Optional.empty(), Optional.of(Language.EN))).conversation().id();
  }

  private static Future<BotReply> say(BotEngine engine, UUID id, String text) {
    return engine.handle(InboundMessage.of(sample.tenant, id, "web", text));
  }

  @Test
  void should_serialize_two_messages_to_one_conversation_and_store_both() {
    BotEngine engine = engine(ConversationStore.LOCK_WAIT, PolicySettings.DEFAULTS);
    UUID id = start(engine);
    Future<BotReply> first = say(engine, id, "how do I renew my passport");
    Future<BotReply> second = say(engine, id, "when is bulky waste collected");
    await(Future.all(first, second));
    List<ConversationEvent> events = await(sample.conversations.events(id));
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      assertEquals(i + 1, events.get(i).seq(), "one gap-free log");
      if (events.get(i).type() == EventType.MESSAGE_IN) {
        texts.add(events.get(i).payload().getString("text"));
        // every message is followed by its own decision and reply, never by the other turn's events
        assertEquals(EventType.DECISION, events.get(i + 1).type());
        assertEquals(EventType.REPLY_OUT, events.get(i + 2).type());
      }
    }
    assertEquals(2, texts.size(), "both messages stored: " + texts);
    assertTrue(texts.containsAll(List.of("how do I renew my passport", "when is bulky waste collected")));
    for (BotReply reply : List.of(first.result(), second.result())) {
      assertEquals(EventType.REPLY_OUT, events.get(reply.turn() - 1).type(), "each reply names its own stored turn");
    }
    assertFalse(first.result().turn() == second.result().turn());
  }

  @Test
  void should_retrieve_and_decide_before_taking_the_conversations_lock() {
    UUID id = sample.start(Language.EN);
    sample.say(id, "how do I renew my passport");
    JsonObject trace = await(sample.conversations.events(id)).stream()
        .filter(e -> e.type() == EventType.DECISION && e.payload().containsKey("retrieval"))
        .findFirst().orElseThrow().payload();
    JsonObject timing = trace.getJsonObject("timing");
    assertTrue(timing.getDouble("decidedMs") <= timing.getDouble("lockedMs"),
        "the decision (and its retrieval) was made before the lock was taken: " + timing);
  }

  @Test
  void should_answer_other_conversations_while_many_are_held_by_other_connections() throws Exception {
    BotEngine engine = engine(Duration.ofSeconds(60), PolicySettings.DEFAULTS);
    int held = 6; // more than the test pool's 4 connections
    List<UUID> locked = new ArrayList<>();
    List<SqlConnection> holders = new ArrayList<>();
    List<Transaction> transactions = new ArrayList<>();
    for (int i = 0; i < held; i++) {
      UUID id = start(engine);
      SqlConnection conn = await(PgConnection.connect(sample.vertx, sample.database.connectOptions()));
      Transaction tx = await(conn.begin());
      await(conn.preparedQuery("SELECT 1 FROM conversations WHERE conversation_id = $1 FOR UPDATE")
          .execute(Tuple.of(id)));
      locked.add(id);
      holders.add(conn);
      transactions.add(tx);
    }
    List<Future<BotReply>> waiting = new ArrayList<>();
    for (UUID id : locked) {
      waiting.add(say(engine, id, "when is the library open"));
    }
    UUID free = start(engine);
    BotReply reply = await(say(engine, free, "how do I renew my passport"), 30);
    assertEquals(Outcome.ANSWERED, reply.outcome(), "a free conversation is answered while others are held");
    assertTrue(waiting.stream().noneMatch(Future::isComplete), "the held conversations' turns still wait");
    for (int i = 0; i < held; i++) {
      await(transactions.get(i).commit());
      await(holders.get(i).close());
    }
    for (Future<BotReply> turn : waiting) {
      assertEquals(Outcome.ANSWERED, await(turn, 30).outcome(), "a waiting turn is answered once released");
    }
  }

  @Test
  void should_give_up_on_a_conversation_held_longer_than_the_lock_wait() {
    BotEngine engine = engine(Duration.ofMillis(300), PolicySettings.DEFAULTS);
    UUID id = start(engine);
    SqlConnection conn = await(PgConnection.connect(sample.vertx, sample.database.connectOptions()));
    Transaction tx = await(conn.begin());
    await(conn.preparedQuery("SELECT 1 FROM conversations WHERE conversation_id = $1 FOR UPDATE")
        .execute(Tuple.of(id)));
    Throwable busy = failure(say(engine, id, "when is the library open"));
    assertInstanceOf(ConversationStore.ConversationBusyException.class, busy);
    await(tx.rollback());
    await(conn.close());
    assertEquals(Outcome.ANSWERED, await(say(engine, id, "when is the library open")).outcome());
  }

  @Test
  void should_end_a_conversation_politely_after_its_message_limit_and_keep_no_more() {
    BotEngine engine = engine(ConversationStore.LOCK_WAIT, PolicySettings.DEFAULTS.withMaxMessages(3));
    UUID id = start(engine);
    for (int i = 0; i < 3; i++) {
      assertFalse(await(say(engine, id, "when is the library open")).ended());
    }
    BotReply limit = await(say(engine, id, "and on sunday?"));
    assertTrue(limit.ended(), "the message beyond the limit ends the conversation");
    assertTrue(limit.replies().get(0).text().contains("new conversation"), limit.replies().get(0).text());
    assertTrue(await(sample.conversations.find(id)).orElseThrow().endedAt().isPresent());
    int stored = await(sample.conversations.events(id)).size();
    BotReply again = await(say(engine, id, "hello?"));
    assertTrue(again.ended());
    assertEquals(stored, await(sample.conversations.events(id)).size(), "nothing more is stored");
    assertTrue(await(sample.conversations.events(id)).stream().noneMatch(e -> e.type() == EventType.MESSAGE_IN
        && e.payload().getString("text").equals("and on sunday?")), "the message beyond the limit is not kept");
  }
}
