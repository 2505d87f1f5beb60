package org.civicbot.channels.phone;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import org.civicbot.knowledge.db.Database;
import org.civicbot.knowledge.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.civicbot.knowledge.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stream token admits one stream, whichever replica it reaches: two ledgers on one PostgreSQL act as two replicas. */
class StreamTokenLedgerTest {
  private static Vertx vertx;
  private static Database database;

  @BeforeAll
  static void open() {
    vertx = Vertx.vertx();
    database = TestDatabase.open(vertx);
  }

  @AfterAll
  static void close() {
    await(vertx.close());
  }

  @Test
  void should_admit_a_token_once_across_replicas_and_keep_only_its_hash() {
    StreamTokenLedger replicaA = StreamTokenLedger.postgres(database.pool());
    StreamTokenLedger replicaB = StreamTokenLedger.postgres(database.pool());
    String token = "v1.1764000000." + UUID.randomUUID();
    Instant expiry = Instant.now().plusSeconds(120);

    assertTrue(await(replicaA.use(token, expiry)), "first use");
    assertFalse(await(replicaB.use(token, expiry)), "the same token on another replica");
    assertFalse(await(replicaA.use(token, expiry)), "and on the first again");
    assertTrue(await(replicaB.use(token + "x", expiry)), "another token is its own");

    long stored = await(database.pool().preparedQuery("SELECT count(*) FROM used_stream_tokens WHERE token_hash = $1")
        .execute(Tuple.of(StreamTokenLedger.hash(token)))).iterator().next().getLong(0);
    assertEquals(1, stored, "kept as a hash");
    long plain = await(database.pool().preparedQuery("SELECT count(*) FROM used_stream_tokens WHERE token_hash = $1")
        .execute(Tuple.of(token))).iterator().next().getLong(0);
    assertEquals(0, plain, "never the token itself");
  }

  @Test
  void should_forget_expired_tokens() {
    StreamTokenLedger ledger = StreamTokenLedger.postgres(database.pool());
    String old = "v1.1.expired-" + UUID.randomUUID();
    assertTrue(await(ledger.use(old, Instant.now().minusSeconds(5))));
    await(ledger.use("v1.2.other-" + UUID.randomUUID(), Instant.now().plusSeconds(60)));
    long left = await(database.pool().preparedQuery("SELECT count(*) FROM used_stream_tokens WHERE token_hash = $1")
        .execute(Tuple.of(StreamTokenLedger.hash(old)))).iterator().next().getLong(0);
    assertEquals(0, left, "an expired token's entry is purged by the next use");
  }

  @Test
  void should_admit_once_in_memory_too() {
    StreamTokenLedger ledger = StreamTokenLedger.inMemory(Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"),
        ZoneOffset.UTC));
    assertTrue(await(ledger.use("t", Instant.parse("2026-12-02T10:02:00Z"))));
    assertFalse(await(ledger.use("t", Instant.parse("2026-12-02T10:02:00Z"))));
  }
}
