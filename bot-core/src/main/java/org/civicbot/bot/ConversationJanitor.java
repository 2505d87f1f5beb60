package org.civicbot.bot;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.civicbot.bot.conversation.ConversationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The scheduled housekeeping of conversations: ends the ones idle longer than the timeout (judging their
 * resolution; one waiting for a person or held by one only after {@link #PERSON_TIMEOUT}) and deletes the ones idle
 * longer than the retention period, events and all.
 */
public final class ConversationJanitor {
  /**
   * A day's statistics are sealed (counted once into the daily figures) this many days after it: its conversations
   * have ended by then and the 24-hour return that re-judges an assumed resolution is over.
   */
  public static final int SEAL_AFTER_DAYS = 3;

  private static final Logger LOG = LoggerFactory.getLogger(ConversationJanitor.class);
  private static final int BATCH = 200;

  /** What one run did. */
  public record Report(int ended, int deleted) {
  }

  private final Vertx vertx;
  private final BotEngine engine;
  private final ConversationStore conversations;
  /** A conversation waiting for a person, or held by one, ends after this long idle (a week: back after a weekend). */
  static final Duration PERSON_TIMEOUT = Duration.ofDays(7);
  private final Duration timeout;
  private final Duration retention;
  private final Clock clock;
  private long timer = -1;

  public ConversationJanitor(Vertx vertx, BotEngine engine, ConversationStore conversations, Duration timeout,
                             Duration retention, Clock clock) {
    if (retention.compareTo(timeout) <= 0) {
      throw new IllegalArgumentException("retention " + retention + " must be longer than the timeout " + timeout);
    }
    this.vertx = vertx;
    this.engine = engine;
    this.conversations = conversations;
    this.timeout = timeout;
    this.retention = retention;
    this.clock = clock;
  }

  /** Runs now, then every {@code period}. */
  public void start(Duration period) {
    runOnce();
    timer = vertx.setPeriodic(period.toMillis(), id -> runOnce());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  public Future<Report> runOnce() {
    return conversations.deleteInactiveSince(clock.instant().minus(retention))
        .compose(deleted -> endIdle().map(ended -> new Report(ended, deleted)))
        .compose(report -> conversations.sealStatistics(java.util.Optional.empty(), LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)
            .minusDays(SEAL_AFTER_DAYS)).map(report))
        .onSuccess(r -> {
          if (r.ended() > 0 || r.deleted() > 0) {
            LOG.info("Conversations: {} ended after {} idle, {} deleted after {} days", r.ended(), timeout,
                r.deleted(), retention.toDays());
          }
        })
        .onFailure(e -> LOG.warn("Conversation housekeeping failed", e));
  }

  private Future<Integer> endIdle() {
    Duration forPerson = PERSON_TIMEOUT.compareTo(retention) < 0 ? PERSON_TIMEOUT : retention.minus(timeout);
    return conversations.idleSince(clock.instant().minus(timeout), clock.instant().minus(forPerson), BATCH)
        .compose(ids -> {
          Future<Integer> chain = Future.succeededFuture(0);
          for (UUID id : ids) {
            chain = chain.compose(n -> engine.end(id, "timeout").map(v -> n + 1));
          }
          return chain;
        });
  }
}
