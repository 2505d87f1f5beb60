package org.civicbot.bot.push;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import org.civicbot.bot.BotEngine;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.testing.EngineFixture;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.db.Database;
import org.civicbot.knowledge.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.civicbot.knowledge.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two replicas on one PostgreSQL, as two Vert.x instances with their own pools and listening connections: what a
 * person writes on one reaches the listeners of the other through {@code LISTEN/NOTIFY}, read back from the log; the
 * replica that made a push does not get it twice; a malformed notification is ignored.
 */
class PushRelayTest {

  @Test
  void should_carry_an_agents_message_and_the_citizens_reply_to_the_other_replica() throws Exception {
    EngineFixture a = EngineFixture.sample();
    List<String> onA = new CopyOnWriteArrayList<>();
    UUID[] conversation = new UUID[1];
    a.engine.addListener((id, m) -> {
      if (id.equals(conversation[0])) {
        onA.add(m.type() + ":" + m.from());
      }
    });
    PushRelay relayA = await(PushRelay.start(a.vertx, a.database.connectOptions(), a.database.pool(),
        a.conversations, a.engine));

    Vertx vertxB = Vertx.vertx();
    Database databaseB = TestDatabase.open(vertxB);
    BlockingQueue<BotEngine.PushedMessage> onB = new LinkedBlockingQueue<>();
    PushRelay relayB = await(PushRelay.listen(vertxB, databaseB.connectOptions(), databaseB.pool(),
        ConversationStore.create(vertxB, databaseB.pool()), (id, m) -> {
          if (id.equals(conversation[0])) {
            onB.add(m);
          }
        }));
    try {
      conversation[0] = a.start(Language.EN);
      a.say(conversation[0], "I want to talk to a human");
      await(databaseB.pool().preparedQuery("SELECT pg_notify($1, $2)")
          .execute(Tuple.of(PushRelay.CHANNEL, "not json at all")));
      await(a.engine.agentMessage(conversation[0], new BotEngine.Agent("mette@eksempel.dk", "Mette"),
          "Hello, this is Mette."));

      BotEngine.PushedMessage claimed = onB.poll(60, TimeUnit.SECONDS);
      assertNotNull(claimed, "the claim reached the other replica");
      assertEquals("claimed", claimed.type(), claimed + " then " + onB);
      assertEquals("Mette", claimed.agent());
      BotEngine.PushedMessage message = onB.poll(60, TimeUnit.SECONDS);
      assertNotNull(message, "the message reached the other replica");
      assertEquals("message", message.type());
      assertEquals("agent", message.from());
      assertEquals("Hello, this is Mette.", message.text());

      // a typing notice is in no table: it travels whole
      a.engine.typing(conversation[0], BotEngine.PushedMessage.typing("agent", "Mette"));
      BotEngine.PushedMessage typing = onB.poll(60, TimeUnit.SECONDS);
      assertNotNull(typing, "the typing notice reached the other replica");
      assertEquals("typing", typing.type());
      assertEquals("agent", typing.from());
      assertEquals("Mette", typing.agent());

      assertEquals("agent", a.say(conversation[0], "Thanks, I need a new passport").outcome().wireName());
      BotEngine.PushedMessage citizen = onB.poll(60, TimeUnit.SECONDS);
      assertNotNull(citizen, "the citizen's message reached the other replica");
      assertEquals("citizen", citizen.from());
      assertEquals("Thanks, I need a new passport", citizen.text());

      // the replica that made them heard each push once, from itself
      assertEquals(List.of("claimed:line", "message:agent", "typing:agent", "message:citizen"), onA);

      // the listening connection is cut (a failover, a restart of PostgreSQL): it comes back by itself and says so,
      // so the chat API can tell its sockets to catch up; pushes flow again
      java.util.concurrent.CountDownLatch back = new java.util.concurrent.CountDownLatch(1);
      relayB.onReconnect(back::countDown);
      await(a.database.pool().query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
          + " WHERE query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()").execute());
      assertTrue(back.await(60, TimeUnit.SECONDS), "the relay listened again and said so");
      a.engine.typing(conversation[0], BotEngine.PushedMessage.typing("agent", "Mette"));
      BotEngine.PushedMessage after = onB.poll(60, TimeUnit.SECONDS);
      assertNotNull(after, "pushes reach the other replica after the reconnect");
      assertEquals("typing", after.type());
    } finally {
      relayA.close();
      relayB.close();
      databaseB.close();
      await(vertxB.close());
    }
  }
}
