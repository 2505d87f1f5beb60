package org.civicbot.bot.conversation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ResolutionTest {

  private final List<ConversationEvent> log = new ArrayList<>();

  private void add(EventType type, JsonObject payload) {
    log.add(new ConversationEvent(log.size() + 1, type, Instant.now(), payload));
  }

  private void reply(String outcome) {
    add(EventType.REPLY_OUT, new JsonObject().put("outcome", outcome).put("articles", new JsonArray()));
  }

  private void citizen() {
    add(EventType.MESSAGE_IN, new JsonObject().put("text", "a question").put("lang", "en"));
  }

  private Ending ending(String reason) {
    return Ending.judge(ConversationState.of(org.civicbot.knowledge.Language.EN, log), reason);
  }

  @Test
  void should_resolve_an_answer_without_feedback() {
    reply("smalltalk");
    citizen();
    reply("answered");
    reply("smalltalk");
    assertEquals(Resolution.RESOLVED, Resolution.judge(log));
  }

  @Test
  void should_not_resolve_when_a_fallback_was_the_last_bot_turn() {
    citizen();
    reply("answered");
    reply("fallback");
    reply("smalltalk");
    assertEquals(Resolution.UNRESOLVED, Resolution.judge(log));
  }

  @Test
  void should_follow_the_citizens_feedback() {
    citizen();
    reply("answered");
    add(EventType.FEEDBACK, new JsonObject().put("resolved", false));
    assertEquals(Resolution.UNRESOLVED, Resolution.judge(log));
    reply("fallback");
    add(EventType.FEEDBACK, new JsonObject().put("resolved", true));
    assertEquals(Resolution.RESOLVED, Resolution.judge(log));
    assertEquals(Ending.CONFIRMED, ending("timeout"), "resolved by the citizen's word: confirmed");
  }

  @Test
  void should_escalate_a_handoff_whatever_else_happened() {
    reply("answered");
    add(EventType.FEEDBACK, new JsonObject().put("resolved", true));
    add(EventType.HANDOFF, new JsonObject().put("reason", "requested"));
    assertEquals(Resolution.ESCALATED, Resolution.judge(log));
  }

  @Test
  void should_leave_an_abandoned_conversation_unresolved() {
    reply("smalltalk");
    assertEquals(Resolution.UNRESOLVED, Resolution.judge(log));
    assertEquals(Ending.ABANDONED, ending("timeout"), "asked nothing at all");
  }

  @Test
  void should_tell_an_assumed_resolution_from_a_citizen_who_left_while_the_bot_waited() {
    citizen();
    reply("answered");
    assertEquals(Ending.ASSUMED, ending("timeout"));
    citizen();
    add(EventType.REPLY_OUT, new JsonObject().put("outcome", "clarify").put("articles", new JsonArray()
        .add(new JsonObject().put("slug", "a")).add(new JsonObject().put("slug", "b"))));
    assertEquals(Ending.ABANDONED, ending("timeout"), "left a clarification unanswered");
    assertEquals(Resolution.UNRESOLVED, ending("timeout").resolution());
    citizen();
    add(EventType.REPLY_OUT, new JsonObject().put("outcome", "fallback").put("personOffered", true)
        .put("articles", new JsonArray()));
    assertEquals(Ending.ABANDONED, ending("timeout"), "left the offer of a person unanswered");
    assertEquals(Ending.UNRESOLVED, ending("goodbye"), "said goodbye to it: unresolved, not abandoned");
  }
}
