package org.civicbot.channels.phone;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which stream tokens have admitted a stream: a token admits one, whichever replica the stream reaches. On
 * PostgreSQL for a line of several replicas ({@link #postgres}); in memory for one ({@link #inMemory}). Only a hash of
 * the token is kept, until the token has expired.
 */
public interface StreamTokenLedger {

  /** Takes {@code token}, valid until {@code expiry}, for one stream: false when it was taken before. */
  Future<Boolean> use(String token, Instant expiry);

  /** Shared by every replica on the database: table {@code used_stream_tokens}. */
  static StreamTokenLedger postgres(Pool pool) {
    return (token, expiry) -> pool.preparedQuery("WITH purged AS (DELETE FROM used_stream_tokens"
            + " WHERE expires_at < now()) INSERT INTO used_stream_tokens (token_hash, expires_at) VALUES ($1, $2)"
            + " ON CONFLICT (token_hash) DO NOTHING")
        .execute(Tuple.of(hash(token), OffsetDateTime.ofInstant(expiry, ZoneOffset.UTC)))
        .map(rows -> rows.rowCount() == 1);
  }

  /** For one replica: entries are dropped once their token has expired. */
  static StreamTokenLedger inMemory(Clock clock) {
    Map<String, Instant> used = new ConcurrentHashMap<>();
    return (token, expiry) -> {
      Instant now = clock.instant();
      used.values().removeIf(e -> e.isBefore(now));
      return Future.succeededFuture(used.putIfAbsent(hash(token), expiry) == null);
    };
  }

  /** SHA-256 of the token, hex: the ledger never holds a token that could be presented again. */
  static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
