package org.civicbot.admin.stats;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The conversations of a period as CSV, for the municipality's own documentation: one row per conversation with how
 * it ended and its transcript as stored (the citizen's words redacted before storage, the bot's answers shortened to
 * their first {@value #BOT_TEXT} characters, an agent's words as written). Written page by page (keyset on the
 * start time), each page after the previous one left the socket, so a year of conversations needs no more memory
 * than a page. Cells that a spreadsheet would take for a formula are prefixed with an apostrophe.
 */
public final class ConversationExport {
  public static final int PAGE = 500;
  static final int BOT_TEXT = 160;

  public static final String HEADER = "conversation_id,started_at,ended_at,channel,language,outcome,messages,"
      + "answered_article,first_answer_ms,transcript\r\n";

  private static final String CONVERSATIONS = "SELECT conversation_id, started_at, ended_at, channel, lang,"
      + " COALESCE(outcome, 'open') AS outcome, COALESCE(messages_in, 0) AS messages_in, answered_article,"
      + " first_answer_ms FROM conversations WHERE tenant_id = $1 AND started_at >= $2 AND started_at < $3"
      + " AND channel <> 'test' AND ($4::text IS NULL OR channel = $4)"
      + " AND (started_at, conversation_id) > ($5, $6) ORDER BY started_at, conversation_id LIMIT " + PAGE;

  private static final String EVENTS = "SELECT conversation_id, type, payload FROM conversation_events"
      + " WHERE tenant_id = $1 AND conversation_id = ANY($2)"
      + " AND type IN ('message_in', 'reply_out', 'agent_message') ORDER BY conversation_id, seq";

  private final Pool pool;
  private final ZoneId zone;

  /** {@code zone}: the municipality's time zone, in which the times are written. */
  public ConversationExport(Pool pool, ZoneId zone) {
    this.pool = pool;
    this.zone = zone;
  }

  /** Writes the conversations of {@code tenant} started from {@code from} to {@code to} (both included) and ends. */
  public Future<Long> write(HttpServerResponse response, String tenant, LocalDate from, LocalDate to,
                            Optional<String> channel) {
    OffsetDateTime start = from.atStartOfDay(zone).toOffsetDateTime();
    OffsetDateTime end = to.plusDays(1).atStartOfDay(zone).toOffsetDateTime();
    return response.write(HEADER)
        .compose(v -> page(response, tenant, start, end, channel.orElse(null),
            OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), new UUID(0, 0), 0))
        .compose(n -> response.end().map(n));
  }

  private Future<Long> page(HttpServerResponse response, String tenant, OffsetDateTime start, OffsetDateTime end,
                            String channel, OffsetDateTime afterStart, UUID afterId, long written) {
    return pool.preparedQuery(CONVERSATIONS)
        .execute(Tuple.of(tenant, start, end, channel, afterStart, afterId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(written);
          }
          List<UUID> ids = new ArrayList<>();
          rows.forEach(r -> ids.add(r.getUUID("conversation_id")));
          return pool.preparedQuery(EVENTS)
              .execute(Tuple.tuple().addString(tenant).addArrayOfUUID(ids.toArray(UUID[]::new)))
              .compose(events -> {
                Row last = null;
                StringBuilder csv = new StringBuilder();
                Map<UUID, String> transcripts = transcripts(events);
                for (Row r : rows) {
                  row(csv, r, transcripts.getOrDefault(r.getUUID("conversation_id"), ""));
                  last = r;
                }
                Row next = last;
                long total = written + rows.size();
                return response.write(Buffer.buffer(csv.toString())).compose(v -> rows.size() < PAGE
                    ? Future.succeededFuture(total)
                    : page(response, tenant, start, end, channel, next.getOffsetDateTime("started_at"),
                        next.getUUID("conversation_id"), total));
              });
        });
  }

  private void row(StringBuilder csv, Row r, String transcript) {
    Float ms = r.getFloat("first_answer_ms");
    List<String> cells = List.of(r.getUUID("conversation_id").toString(), time(r.getOffsetDateTime("started_at")),
        time(r.getOffsetDateTime("ended_at")), r.getString("channel"), r.getString("lang"), r.getString("outcome"),
        String.valueOf(r.getInteger("messages_in")), Optional.ofNullable(r.getString("answered_article")).orElse(""),
        ms == null ? "" : String.format(java.util.Locale.ROOT, "%.1f", ms), transcript);
    for (int i = 0; i < cells.size(); i++) {
      csv.append(i == 0 ? "" : ",").append(cell(cells.get(i)));
    }
    csv.append("\r\n");
  }

  private String time(OffsetDateTime t) {
    return t == null ? "" : t.atZoneSameInstant(zone).toOffsetDateTime().withNano(0).toString();
  }

  /** Each conversation's lines, "citizen: ...", "bot: ..." and "agent: ...", in order. */
  private static Map<UUID, String> transcripts(RowSet<Row> events) {
    Map<UUID, StringBuilder> lines = new HashMap<>();
    for (Row e : events) {
      JsonObject p = e.getJsonObject("payload");
      StringBuilder b = lines.computeIfAbsent(e.getUUID("conversation_id"), k -> new StringBuilder());
      switch (e.getString("type")) {
        case "message_in" -> line(b, "citizen", p.getString("text", ""));
        case "agent_message" -> line(b, "agent", p.getString("text", ""));
        default -> {
          StringBuilder said = new StringBuilder();
          for (Object o : p.getJsonArray("replies", new JsonArray())) {
            said.append(said.length() == 0 ? "" : " ").append(((JsonObject) o).getString("text", ""));
          }
          String text = said.toString().replaceAll("\\s+", " ").strip();
          line(b, "bot", text.length() <= BOT_TEXT ? text : text.substring(0, BOT_TEXT) + "…");
        }
      }
    }
    Map<UUID, String> result = new HashMap<>();
    lines.forEach((id, b) -> result.put(id, b.toString()));
    return result;
  }

  private static void line(StringBuilder b, String who, String text) {
    b.append(b.length() == 0 ? "" : "\n").append(who).append(": ").append(text.replace("\r", ""));
  }

  /** A CSV cell (RFC 4180), with formula injection defused. */
  public static String cell(String value) {
    String v = value == null ? "" : value;
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }
}
