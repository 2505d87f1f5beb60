package org.civicbot.admin.content;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.civicbot.admin.staff.AuditLog;
import org.civicbot.admin.staff.StaffPrincipal;
import org.civicbot.bot.BotEngine;
import org.civicbot.bot.ChannelAbilities;
import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.KnowledgeBase;
import org.civicbot.knowledge.KnowledgeView;
import org.civicbot.knowledge.Language;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Editors' regression cases: a conversation with the answers it should get (each turn's outcome and first article).
 * Before a publish every case of the language is replayed twice, against the knowledge base as it is and as it would
 * be ({@link KnowledgeBase#candidate}), so the editor sees which answers the publish would change and which already
 * differ from what the case expects. Replays decide exactly as live turns do and store nothing.
 */
public final class RegressionCases {
  /** How many turns a case may have. */
  public static final int MAX_TURNS = 20;
  /** A phone caller: the engine words its replies for the ear. */
  public static final ChannelAbilities PHONE = new ChannelAbilities(true, false, false, false,
      Set.of(Language.values()));

  private final Pool pool;
  private final KnowledgeBase kb;
  private final BotEngine engine;
  private final AuditLog audit;

  public RegressionCases(Pool pool, KnowledgeBase kb, BotEngine engine, AuditLog audit) {
    this.pool = pool;
    this.kb = kb;
    this.engine = engine;
    this.audit = audit;
  }

  /** What a turn should get: its outcome ({@code answered}, {@code fallback}, ...) and first article, if any. */
  public record Expected(String outcome, Optional<String> article) {
    static Expected of(BotEngine.Replayed r) {
      return new Expected(r.outcome().wireName(), r.article());
    }

    JsonObject toJson() {
      return new JsonObject().put("outcome", outcome).put("article", article.orElse(null));
    }

    @Override
    public String toString() {
      return outcome + article.map(a -> " · " + a).orElse("");
    }
  }

  public record Turn(String text, Expected expected) {
  }

  public record Case(UUID id, String name, Language lang, String channel, List<Turn> turns, String createdBy,
                     Instant createdAt) {
    public JsonObject toJson() {
      JsonArray t = new JsonArray();
      turns.forEach(turn -> t.add(turn.expected.toJson().put("text", turn.text)));
      return new JsonObject().put("id", id.toString()).put("name", name).put("lang", lang.code())
          .put("channel", channel).put("turns", t).put("createdBy", createdBy).put("createdAt", createdAt.toString());
    }

    ChannelAbilities abilities() {
      return "phone".equals(channel) ? PHONE : ChannelAbilities.SCREEN;
    }

    List<String> texts() {
      return turns.stream().map(Turn::text).toList();
    }
  }

  /** One turn replayed: what the case expects, what the bot answers now, and what it would answer after the change. */
  public record TurnResult(String text, Expected expected, Expected now, Expected after) {
    /** The change would alter this answer. */
    public boolean changes() {
      return !now.equals(after);
    }

    /** After the change the answer is not what the case expects. */
    public boolean fails() {
      return !expected.equals(after);
    }

    JsonObject toJson() {
      return new JsonObject().put("text", text).put("expected", expected.toJson()).put("now", now.toJson())
          .put("after", after.toJson()).put("changes", changes()).put("fails", fails());
    }
  }

  public record CaseResult(Case regressionCase, List<TurnResult> turns) {
    public boolean changes() {
      return turns.stream().anyMatch(TurnResult::changes);
    }

    public boolean fails() {
      return turns.stream().anyMatch(TurnResult::fails);
    }

    JsonObject toJson() {
      return new JsonObject().put("id", regressionCase.id.toString()).put("name", regressionCase.name)
          .put("lang", regressionCase.lang.code()).put("changes", changes()).put("fails", fails())
          .put("turns", new JsonArray(turns.stream().map(TurnResult::toJson).toList()));
    }
  }

  /** The cases replayed; {@link #affected()} those where an answer would change or differs from the expected one. */
  public record Check(List<CaseResult> results) {
    public List<CaseResult> affected() {
      return results.stream().filter(r -> r.changes() || r.fails()).toList();
    }

    public boolean clean() {
      return affected().isEmpty();
    }

    public JsonObject toJson() {
      return new JsonObject().put("cases", results.size()).put("affected", affected().size())
          .put("failing", results.stream().filter(CaseResult::fails).count())
          .put("results", new JsonArray(affected().stream().map(CaseResult::toJson).toList()));
    }
  }

  /**
   * Saves a case from citizens' messages; a turn without an expectation expects what the bot answers now (the
   * editor saves a conversation whose answers are right). The messages are replayed first, so the stored texts
   * are redacted as a conversation stores them.
   */
  public Future<Case> save(StaffPrincipal who, String tenant, String name, Language lang, String channel,
                           List<String> messages, List<Optional<Expected>> expectations) {
    Case draft = new Case(UUID.randomUUID(), name, lang, channel, messages.stream()
        .map(m -> new Turn(m, new Expected("", Optional.empty()))).toList(), who.actor(), Instant.now());
    return engine.replay(tenant, Optional.of(lang), messages, draft.abilities(), kb).compose(replayed -> {
      List<Turn> turns = new ArrayList<>();
      for (int i = 0; i < replayed.size(); i++) {
        Optional<Expected> given = i < expectations.size() ? expectations.get(i) : Optional.empty();
        turns.add(new Turn(replayed.get(i).text(), given.orElse(Expected.of(replayed.get(i)))));
      }
      Case saved = new Case(draft.id, name, lang, channel, List.copyOf(turns), who.actor(), draft.createdAt);
      JsonArray json = new JsonArray();
      turns.forEach(t -> json.add(t.expected.toJson().put("text", t.text)));
      return pool.preparedQuery("INSERT INTO regression_cases (case_id, tenant_id, name, lang, channel, turns,"
              + " created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)")
          .execute(Tuple.of(saved.id, tenant, name, lang.code(), channel, json, who.actor()))
          .compose(ignored -> audit.record(Optional.of(tenant), who.actor(), "regression.save", saved.id.toString(),
              new JsonObject().put("name", name).put("turns", turns.size())))
          .map(saved);
    });
  }

  /** The tenant's cases, oldest first; {@code lang} empty: both languages. */
  public Future<List<Case>> list(String tenant, Optional<Language> lang) {
    return pool.preparedQuery("SELECT case_id, name, lang, channel, turns, created_by, created_at"
            + " FROM regression_cases WHERE tenant_id = $1 AND ($2::text IS NULL OR lang = $2)"
            + " ORDER BY created_at, case_id")
        .execute(Tuple.of(tenant, lang.map(Language::code).orElse(null)))
        .map(rows -> {
          List<Case> cases = new ArrayList<>();
          rows.forEach(r -> cases.add(toCase(r)));
          return cases;
        });
  }

  /** Deletes a case of the tenant; false when it has none by that id. */
  public Future<Boolean> delete(StaffPrincipal who, String tenant, UUID id) {
    return pool.preparedQuery("DELETE FROM regression_cases WHERE tenant_id = $1 AND case_id = $2")
        .execute(Tuple.of(tenant, id))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(false)
            : audit.record(Optional.of(tenant), who.actor(), "regression.delete", id.toString(), new JsonObject())
                .map(true));
  }

  /** Every case replayed against the knowledge base as it is ("now" and "after" are the same). */
  public Future<Check> run(String tenant) {
    return list(tenant, Optional.empty()).compose(cases -> replayAll(tenant, cases, kb));
  }

  /**
   * The cases of {@code lang} replayed against the knowledge base with {@code article} published in place of its
   * slug's published revision, or with the slug unpublished when {@code article} is empty.
   */
  public Future<Check> beforeChange(String tenant, String slug, Language lang, Optional<Article> article) {
    return list(tenant, Optional.of(lang)).compose(cases -> cases.isEmpty()
        ? Future.succeededFuture(new Check(List.of()))
        : kb.candidate(tenant, lang, slug, article).compose(candidate -> replayAll(tenant, cases, candidate)
            .onComplete(done -> candidate.close())));
  }

  /** {@link #beforeChange} for publishing {@code revision} (the latest when empty) of the article. */
  public Future<Check> beforePublish(String tenant, String slug, Language lang, Optional<Integer> revision) {
    return kb.store().revisions(tenant, slug, lang).compose(all -> {
      Optional<Article> chosen = revision.isEmpty() ? all.stream().reduce((a, b) -> b)
          : all.stream().filter(a -> a.revision() == revision.get()).findFirst();
      if (chosen.isEmpty()) {
        return Future.failedFuture(new Articles.NoSuchArticle("There is no such revision of " + slug + " ("
            + lang.code() + ")."));
      }
      return beforeChange(tenant, slug, lang, chosen);
    });
  }

  private Future<Check> replayAll(String tenant, List<Case> cases, KnowledgeView after) {
    List<Future<CaseResult>> all = new ArrayList<>();
    for (Case c : cases) {
      Future<List<BotEngine.Replayed>> now = engine.replay(tenant, Optional.of(c.lang), c.texts(), c.abilities(), kb);
      Future<List<BotEngine.Replayed>> changed = after == kb ? now
          : engine.replay(tenant, Optional.of(c.lang), c.texts(), c.abilities(), after);
      all.add(Future.all(now, changed).map(v -> {
        List<TurnResult> turns = new ArrayList<>();
        for (int i = 0; i < c.turns.size(); i++) {
          turns.add(new TurnResult(c.turns.get(i).text, c.turns.get(i).expected, Expected.of(now.result().get(i)),
              Expected.of(changed.result().get(i))));
        }
        return new CaseResult(c, turns);
      }));
    }
    return Future.all(all).map(v -> new Check(all.stream().map(Future::result).toList()));
  }

  private static Case toCase(Row r) {
    List<Turn> turns = new ArrayList<>();
    JsonArray json = (JsonArray) r.getValue("turns");
    for (int i = 0; i < json.size(); i++) {
      JsonObject t = json.getJsonObject(i);
      turns.add(new Turn(t.getString("text"), new Expected(t.getString("outcome"),
          Optional.ofNullable(t.getString("article")))));
    }
    return new Case(r.getUUID("case_id"), r.getString("name"), Language.fromCode(r.getString("lang")),
        r.getString("channel"), List.copyOf(turns), r.getString("created_by"),
        r.getOffsetDateTime("created_at").toInstant());
  }
}
