package org.civicbot.admin.staff;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Agents' presence in the inbox (table {@code agent_presence}): online or away, and their capacity, the most
 * conversations they hold at once. A claim beyond the capacity is refused ({@link #checkCapacity}); a claim makes the
 * agent online. Without a row an agent is online with {@link #DEFAULT_CAPACITY}.
 */
public final class AgentPresence {
  public static final int DEFAULT_CAPACITY = 3;
  public static final int MAX_CAPACITY = 20;

  private final Pool pool;

  public AgentPresence(Pool pool) {
    this.pool = pool;
  }

  /** An agent's presence: whether they are online, their capacity, and how many conversations they hold now. */
  public record Presence(boolean online, int capacity, int holding) {
    public boolean full() {
      return holding >= capacity;
    }
  }

  /** Where {@code agentId} of {@code tenant} stands now. */
  public Future<Presence> of(String tenant, String agentId) {
    return pool.preparedQuery("""
            SELECT coalesce((SELECT status FROM agent_presence WHERE tenant_id = $1 AND agent_id = $2), 'online')
                     AS status,
                   coalesce((SELECT capacity FROM agent_presence WHERE tenant_id = $1 AND agent_id = $2), $3)
                     AS capacity,
                   (SELECT count(*) FROM handoffs WHERE tenant_id = $1 AND agent_id = $2 AND status = 'active')
                     AS holding""")
        .execute(Tuple.of(tenant, agentId, DEFAULT_CAPACITY))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new Presence("online".equals(r.getString("status")), r.getInteger("capacity"),
              r.getLong("holding").intValue());
        });
  }

  /** Sets the agent online or away with a capacity of 1 to {@link #MAX_CAPACITY}. */
  public Future<Void> set(String tenant, String agentId, boolean online, int capacity) {
    if (capacity < 1 || capacity > MAX_CAPACITY) {
      return Future.failedFuture(new IllegalArgumentException("A capacity is 1 to " + MAX_CAPACITY
          + " conversations."));
    }
    return pool.preparedQuery("INSERT INTO agent_presence (tenant_id, agent_id, status, capacity) VALUES ($1, $2, $3,"
            + " $4) ON CONFLICT (tenant_id, agent_id) DO UPDATE SET status = EXCLUDED.status,"
            + " capacity = EXCLUDED.capacity, updated_at = now()")
        .execute(Tuple.of(tenant, agentId, online ? "online" : "away", capacity)).mapEmpty();
  }

  /**
   * Before {@code who} claims {@code conversationId} as {@code agentId}: the capacity check for a person; automation
   * with the operator's token has none.
   */
  public Future<Void> beforeClaim(StaffPrincipal who, String tenant, String agentId, java.util.UUID conversationId) {
    return who.isOperator() ? Future.succeededFuture() : checkCapacity(tenant, agentId, conversationId);
  }

  /**
   * Before {@code agentId} claims {@code conversationId}: fails with {@link AtCapacity} when they hold as many as
   * they may (a conversation they already hold does not count twice); otherwise marks them online.
   */
  public Future<Void> checkCapacity(String tenant, String agentId, java.util.UUID conversationId) {
    return pool.preparedQuery("SELECT count(*) AS n FROM handoffs WHERE conversation_id = $1 AND agent_id = $2"
            + " AND status = 'active'").execute(Tuple.of(conversationId, agentId))
        .compose(held -> held.iterator().next().getLong("n") > 0 ? Future.succeededFuture()
            : of(tenant, agentId).compose(p -> p.full()
                ? Future.failedFuture(new AtCapacity(p.holding(), p.capacity()))
                : p.online() ? Future.succeededFuture() : set(tenant, agentId, true, p.capacity())));
  }

  /** A claim beyond the agent's capacity. */
  public static final class AtCapacity extends IllegalArgumentException {
    public AtCapacity(int holding, int capacity) {
      super("You already hold " + holding + " conversations, your capacity of " + capacity
          + ". Close or release one first, or raise your capacity in the inbox.");
    }
  }
}
