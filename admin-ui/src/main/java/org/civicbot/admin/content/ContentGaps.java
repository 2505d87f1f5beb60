package org.civicbot.admin.content;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.civicbot.knowledge.KnowledgeBase;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.retrieval.Retrieval;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The citizens' questions the bot could not answer, for editors to close: questions (as stored, redacted) whose
 * reply was a fallback, whose clarification the citizen never resolved, or whose answer got negative feedback, in
 * conversations started in a period. They are grouped by meaning (cosine similarity of the knowledge base's own
 * embeddings, greedy around the most asked question) and ranked by count; each group names the article retrieval
 * finds nearest. Questions an editor has dealt with (added as a phrasing, linked, ignored) are left out.
 */
public final class ContentGaps {
  /** Two questions this similar (cosine of their embeddings) are one gap. */
  private static final int MAX_EVENTS = 200_000;
  private static final int MAX_QUESTIONS = 3_000;
  private static final int MAX_EXAMPLES = 10;

  private final Vertx vertx;
  private final Pool pool;
  private final KnowledgeBase kb;
  private final Articles articles;
  private final org.civicbot.admin.staff.AuditLog audit;

  public ContentGaps(Vertx vertx, Pool pool, KnowledgeBase kb, Articles articles,
                     org.civicbot.admin.staff.AuditLog audit) {
    this.vertx = vertx;
    this.pool = pool;
    this.kb = kb;
    this.articles = articles;
    this.audit = audit;
  }

  /**
   * Closes a gap question: {@code phrasing} adds it to the article (published at once unless a draft is pending),
   * the others record the decision; the question then leaves the list. Completes with the article changed, if any.
   */
  public Future<Optional<org.civicbot.knowledge.Article>> close(org.civicbot.admin.staff.StaffPrincipal who,
                                                                String tenant, String question, Language lang,
                                                                Action action, Optional<String> slug) {
    Future<Optional<org.civicbot.knowledge.Article>> change = action == Action.PHRASING
        ? articles.addPhrasing(who, tenant, slug.orElseThrow(), lang, question).map(Optional::of)
        : Future.succeededFuture(Optional.empty());
    return change.compose(article -> record(tenant, lang, question, action, slug, who.actor())
        .compose(v -> audit.record(Optional.of(tenant), who.actor(), "gap.action", slug.orElse(""),
            new JsonObject().put("action", action.wireName())))
        .map(article));
  }

  /** Why a question is a gap. */
  public enum Reason { FALLBACK, UNANSWERED_CLARIFICATION, NEGATIVE_FEEDBACK }

  /** One unanswered question as a citizen asked it. */
  public record Gap(String question, Language lang, Reason reason) {
  }

  /** Questions that mean the same, with how often they were asked and the nearest article. */
  public record Group(String label, Language lang, int count, List<String> examples, Optional<String> nearestArticle,
                      Map<Reason, Integer> reasons) {
    public JsonObject toJson() {
      JsonObject why = new JsonObject();
      reasons.forEach((r, n) -> why.put(r.name().toLowerCase(java.util.Locale.ROOT), n));
      return new JsonObject().put("label", label).put("lang", lang.code()).put("count", count)
          .put("examples", new JsonArray(examples)).put("nearestArticle", nearestArticle.orElse(null))
          .put("reasons", why);
    }
  }

  /** What an editor did with a question. */
  public enum Action {
    PHRASING("phrasing"), LINKED("linked"), NEW_ARTICLE("new-article"), IGNORED("ignored");

    private final String wire;

    Action(String wire) {
      this.wire = wire;
    }

    public String wireName() {
      return wire;
    }

    public static Action parse(String name) {
      for (Action a : values()) {
        if (a.wire.equals(name)) {
          return a;
        }
      }
      throw new IllegalArgumentException("\"action\" is one of phrasing, linked, new-article, ignored");
    }
  }

  /** The gap groups of conversations started from {@code from} to {@code to} (inclusive, UTC days), largest first. */
  public Future<List<Group>> groups(String tenant, LocalDate from, LocalDate to, Optional<Language> lang) {
    return gaps(tenant, from, to, lang).compose(gaps -> handled(tenant).compose(done -> vertx.executeBlocking(() ->
        group(tenant, gaps.stream().filter(g -> !done.contains(key(g.lang(), g.question()))).toList()), false)));
  }

  /** Records an editor's decision on one question (the latest decision counts). */
  public Future<Void> record(String tenant, Language lang, String question, Action action, Optional<String> slug,
                             String actor) {
    return pool.preparedQuery("INSERT INTO content_gap_actions (tenant_id, lang, question, action, slug, actor)"
            + " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, lang, question) DO UPDATE SET"
            + " action = EXCLUDED.action, slug = EXCLUDED.slug, actor = EXCLUDED.actor, at = now()")
        .execute(Tuple.of(tenant, lang.code(), question, action.wireName(), slug.orElse(null), actor))
        .mapEmpty();
  }

  /** Every gap question of the period, in the order asked. */
  Future<List<Gap>> gaps(String tenant, LocalDate from, LocalDate to, Optional<Language> lang) {
    return pool.preparedQuery("SELECT e.conversation_id, e.type, e.payload->>'text' AS text,"
            + " coalesce(e.payload->>'lang', c.lang) AS lang, e.payload->>'outcome' AS outcome,"
            + " e.payload->>'resolved' AS resolved"
            + " FROM conversations c JOIN conversation_events e ON e.conversation_id = c.conversation_id"
            + " WHERE c.tenant_id = $1 AND c.started_at >= $2 AND c.started_at < $3"
            + " AND e.type IN ('message_in', 'reply_out', 'feedback')"
            + " ORDER BY c.started_at, e.conversation_id, e.seq LIMIT $4")
        .execute(Tuple.of(tenant, from.atStartOfDay().atOffset(ZoneOffset.UTC),
            to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC), MAX_EVENTS))
        .map(rows -> {
          List<Gap> gaps = new ArrayList<>();
          Walk walk = null;
          UUID current = null;
          for (Row row : rows) {
            UUID id = row.getUUID("conversation_id");
            if (!id.equals(current)) {
              if (walk != null) {
                walk.end(gaps);
              }
              walk = new Walk();
              current = id;
            }
            walk.step(row);
          }
          if (walk != null) {
            walk.end(gaps);
          }
          return lang.isEmpty() ? gaps : gaps.stream().filter(g -> g.lang() == lang.get()).toList();
        });
  }

  /** One conversation's events in order: which questions went unanswered. */
  private static final class Walk {
    private String question;
    private Language lang = Language.DA;
    private String pendingClarify;
    private String answered;

    void step(Row row) {
      switch (row.getString("type")) {
        case "message_in" -> {
          question = row.getString("text");
          lang = Language.fromCode(row.getString("lang"));
        }
        case "reply_out" -> {
          String outcome = String.valueOf(row.getString("outcome"));
          switch (outcome) {
            case "fallback" -> {
              pendingClarify = null;
              add(question, Reason.FALLBACK);
            }
            case "clarify" -> {
              if (pendingClarify == null) {
                pendingClarify = question;
              }
            }
            case "answered" -> {
              answered = pendingClarify != null ? pendingClarify : question;
              pendingClarify = null;
            }
            default -> {
            }
          }
        }
        case "feedback" -> {
          if ("false".equals(row.getString("resolved")) && answered != null) {
            add(answered, Reason.NEGATIVE_FEEDBACK);
            answered = null;
          }
        }
        default -> {
        }
      }
    }

    private final List<Gap> found = new ArrayList<>();

    private void add(String text, Reason reason) {
      if (text != null && !text.isBlank()) {
        found.add(new Gap(text.strip(), lang, reason));
      }
    }

    void end(List<Gap> gaps) {
      if (pendingClarify != null) {
        add(pendingClarify, Reason.UNANSWERED_CLARIFICATION);
      }
      gaps.addAll(found);
    }
  }

  private Future<java.util.Set<String>> handled(String tenant) {
    return pool.preparedQuery("SELECT lang, question FROM content_gap_actions WHERE tenant_id = $1")
        .execute(Tuple.of(tenant))
        .map(rows -> {
          java.util.Set<String> keys = new java.util.HashSet<>();
          rows.forEach(r -> keys.add(key(Language.fromCode(r.getString(0)), r.getString(1))));
          return keys;
        });
  }

  private static String key(Language lang, String question) {
    return lang.code() + "\u0000" + question;
  }

  /** Greedy grouping: the most asked question opens a group, every question similar enough to it joins. */
  List<Group> group(String tenant, List<Gap> gaps) {
    Map<String, List<Gap>> byText = new LinkedHashMap<>();
    for (Gap g : gaps) {
      byText.computeIfAbsent(key(g.lang(), g.question().toLowerCase(java.util.Locale.ROOT)), k -> new ArrayList<>())
          .add(g);
    }
    List<List<Gap>> distinct = new ArrayList<>(byText.values());
    distinct.sort((a, b) -> Integer.compare(b.size(), a.size()));
    if (distinct.size() > MAX_QUESTIONS) {
      distinct = distinct.subList(0, MAX_QUESTIONS);
    }
    List<float[]> vectors = new ArrayList<>();
    for (List<Gap> same : distinct) {
      vectors.add(GapGrouping.normalized(kb.embedder().embed(same.get(0).question())));
    }
    List<List<List<Gap>>> groups = new ArrayList<>();
    for (List<Integer> indexes : GapGrouping.group(vectors, distinct.stream().map(d -> d.get(0).lang()).toList(),
        GapGrouping::threshold)) {
      groups.add(indexes.stream().map(distinct::get).toList());
    }
    List<Group> result = new ArrayList<>();
    for (List<List<Gap>> group : groups) {
      Gap head = group.get(0).get(0);
      int count = group.stream().mapToInt(List::size).sum();
      Map<Reason, Integer> reasons = new java.util.EnumMap<>(Reason.class);
      group.forEach(same -> same.forEach(g -> reasons.merge(g.reason(), 1, Integer::sum)));
      List<String> examples = group.stream().map(same -> same.get(0).question()).limit(MAX_EXAMPLES).toList();
      result.add(new Group(head.question(), head.lang(), count, examples, nearest(tenant, head), reasons));
    }
    result.sort((a, b) -> Integer.compare(b.count(), a.count()));
    return result;
  }

  private Optional<String> nearest(String tenant, Gap gap) {
    try {
      Retrieval r = kb.retrieveBlocking(tenant, gap.lang(), gap.question());
      return r.hits().isEmpty() ? Optional.empty() : Optional.of(r.hits().get(0).slug());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
