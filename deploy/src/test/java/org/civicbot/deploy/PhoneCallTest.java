package org.civicbot.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.civicbot.deploy.phone.CallerVoice;
import org.civicbot.deploy.phone.PhoneSoak;
import org.civicbot.deploy.phone.TwilioSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls to a whole CivicBot through a Twilio simulator that speaks Twilio's protocol (signed webhooks, TwiML, the
 * Media Stream WebSocket, the REST API): the caller's questions are speech synthesized in the test and streamed as
 * 8 kHz mu-law frames; the real Vosk model recognizes them; the bot's reply audio is checked by ear (a second,
 * full-vocabulary recognizer). The English model is the one the build ships, so the line runs in English here.
 */
class PhoneCallTest {
  private static final Duration LONG = Duration.ofSeconds(60);
  private static final String TRANSFER_NUMBER = "+4572100099";
  /** Tuesday 10:00 in Copenhagen: the human queue is staffed. */
  private static final Instant OPEN = Instant.parse("2026-11-24T09:00:00Z");
  /** Saturday 12:00 in Copenhagen: no one takes calls. */
  private static final Instant CLOSED = Instant.parse("2026-11-28T11:00:00Z");
  private static final SettableClock CLOCK = new SettableClock(OPEN);
  private static TwilioSimulator twilio;
  private static RunningCivicBot bot;

  @BeforeAll
  static void start() {
    twilio = new TwilioSimulator();
    Map<String, String> env = new HashMap<>();
    env.put("TWILIO_ACCOUNT_SID", TwilioSimulator.ACCOUNT_SID);
    env.put("TWILIO_AUTH_TOKEN", TwilioSimulator.AUTH_TOKEN);
    env.put("PUBLIC_BASE_URL", TwilioSimulator.PUBLIC_BASE_URL);
    env.put("CIVICBOT_TWILIO_API_URL", twilio.restBaseUrl());
    env.put("CIVICBOT_PHONE_TRANSFER_NUMBER", TRANSFER_NUMBER);
    env.put("CIVICBOT_PHONE_SMS_FROM", "+4572100001");
    env.put("CIVICBOT_PHONE_LANGUAGE", "en");
    env.put("CIVICBOT_PHONE_HOURS", "mon-fri 08:00-16:00");
    env.put("CIVICBOT_TIMEZONE", "Europe/Copenhagen");
    bot = RunningCivicBot.start(env, CLOCK);
    twilio.civicBotPort(bot.port());
  }

  @AfterAll
  static void stop() {
    bot.close();
    twilio.close();
  }

  @BeforeEach
  void staffed() {
    CLOCK.set(OPEN);
  }

  private static String callSid() {
    return "CA" + Long.toHexString(System.nanoTime()) + Long.toHexString(Double.doubleToLongBits(Math.random()));
  }

  @Test
  void should_answer_a_spoken_question_and_keep_the_call_as_a_phone_conversation() {
    String sid = callSid();
    TwilioSimulator.Call call = twilio.call(sid, "+4520304050");
    call.awaitMark(1, LONG);

    call.play(CallerVoice.say("how do I renew my passport"), true);
    call.silence(1_500, true);
    call.awaitMark(2, LONG);

    JsonObject transcript = transcript(sid);
    JsonObject turn = turn(transcript, "citizen");
    assertTrue(turn.getString("text").contains("passport"), "recognized: " + turn.getString("text"));
    assertEquals("answered", turn.getString("outcome"), turn.encodePrettily());
    assertEquals("passport-adult", turn.getJsonArray("articles").getString(0));
    assertEquals("vosk", turn.getJsonObject("trace") == null ? null
        : events(transcript, "message_in").getJsonObject("metadata").getString("recognizer"));

    List<TwilioSimulator.Call.Received> frames = replyFrames(call, 2);
    double audioSeconds = frames.size() * 0.02;
    double spanSeconds = (frames.get(frames.size() - 1).nanos() - frames.get(0).nanos()) / 1e9;
    assertTrue(frames.size() > 100, "a spoken answer of more than two seconds, got " + frames.size() + " frames");
    assertTrue(spanSeconds >= 0.8 * audioSeconds - 0.2,
        "frames are paced to real time: " + audioSeconds + " s of audio arrived over " + spanSeconds + " s");

    String heard = CallerVoice.hear(audio(frames));
    assertTrue(heard.contains("passport"), "the bot's spoken answer, as a recognizer hears it: " + heard);

    call.play(CallerVoice.say("yes please"), true);
    call.silence(1_500, true);
    TwilioSimulator.RestRequest sms = awaitRest("/Messages.json");
    assertEquals("+4520304050", sms.form().get("To"), "the text goes to the caller");
    assertTrue(sms.form().get("Body").contains("https://www.eksempel-kommune.dk/"), sms.form().get("Body"));
    assertFalse(transcript(sid).encode().contains("4520304050"), "the caller's number is never stored");
    call.awaitMark(3, LONG);
    JsonObject afterSms = transcript(sid);
    JsonObject yes = turn(afterSms, "citizen", 1);
    assertEquals("text message accepted", yes.getJsonObject("trace").getString("reason"), yes.encodePrettily());
    JsonObject sent = afterSms.getJsonArray("turns").stream().map(JsonObject.class::cast)
        .filter(t -> "text_message_sent".equals(t.getString("signal"))).findFirst()
        .orElseThrow(() -> new AssertionError("the text message sent is in the transcript: " + afterSms.encode()));
    assertEquals("line", sent.getString("from"));

    call.stop();
    awaitEnded(sid);
  }

  @Test
  void should_refuse_webhooks_without_a_valid_signature_and_change_nothing() {
    String sid = callSid();
    Map<String, String> form = TwilioSimulator.incomingCallForm(sid, "+4520304050");
    assertEquals(403, twilio.webhook("/twilio/voice", form, null).statusCode());
    assertEquals(403, twilio.webhook("/twilio/voice", form, "another-token").statusCode());
    assertEquals(403, twilio.webhook("/twilio/status", Map.of("CallSid", sid, "CallStatus", "completed"),
        "another-token").statusCode());
    JsonObject none = admin("/api/v1/admin/conversations?channel=phone&externalId=" + sid);
    assertEquals(0, none.getJsonArray("conversations").size());
    assertEquals(200, twilio.webhook("/twilio/voice", form, TwilioSimulator.AUTH_TOKEN).statusCode(),
        "the same request correctly signed is accepted");
  }

  @Test
  void should_refuse_forged_media_streams_and_create_nothing() {
    int restBefore = twilio.restRequests.size();
    String forgedSid = callSid();
    assertThrows(IllegalStateException.class, () -> twilio.openStream("/twilio/media", null),
        "a handshake without Twilio's signature is refused before the upgrade");
    assertThrows(IllegalStateException.class, () -> twilio.openStream("/twilio/media",
        TwilioSimulator.sign("another-token", TwilioSimulator.PUBLIC_BASE_URL.replaceFirst("^http", "ws")
            + "/twilio/media", Map.of())), "a handshake signed with another account's token is refused");

    // a signed handshake with a made-up call and no token: closed before anything is created
    TwilioSimulator.Call madeUp = twilio.connect(streamTwiml(Map.of("tenant", "eksempel", "caller", "+4511223344")),
        forgedSid);
    madeUp.awaitClose(Duration.ofSeconds(5));
    assertEquals((short) 1008, madeUp.closeCode);

    // a genuine call's TwiML (its token) replayed for another CallSid, and for another caller
    String genuineSid = callSid();
    String twiml = twilio.webhook("/twilio/voice", TwilioSimulator.incomingCallForm(genuineSid, "+4520304050"),
        TwilioSimulator.AUTH_TOKEN).body();
    TwilioSimulator.Call replayed = twilio.connect(twiml, forgedSid);
    replayed.awaitClose(Duration.ofSeconds(5));
    assertEquals((short) 1008, replayed.closeCode, "the token belongs to another CallSid");
    TwilioSimulator.Call otherCaller = twilio.connect(twiml.replace("+4520304050", "+4599887766"), genuineSid);
    otherCaller.awaitClose(Duration.ofSeconds(5));
    assertEquals((short) 1008, otherCaller.closeCode, "the token names another caller");

    // an expired token, correctly made for the call (as if the TwiML were replayed much later)
    String lateSid = callSid();
    String expired = new org.civicbot.channels.phone.StreamToken(TwilioSimulator.AUTH_TOKEN)
        .issue(lateSid, "eksempel", "", CLOCK.instant().minusSeconds(60));
    TwilioSimulator.Call late = twilio.connect(streamTwiml(Map.of("tenant", "eksempel", "token", expired)), lateSid);
    late.awaitClose(Duration.ofSeconds(5));
    assertEquals((short) 1008, late.closeCode);

    for (String sid : List.of(forgedSid, lateSid)) {
      assertEquals(0, admin("/api/v1/admin/conversations?channel=phone&externalId=" + sid)
          .getJsonArray("conversations").size(), "no conversation for " + sid);
    }
    assertEquals(restBefore, twilio.restRequests.size(), "no Twilio REST request for a forged stream");

    // the genuine call with its own token works, once
    TwilioSimulator.Call genuine = twilio.connect(twiml, genuineSid);
    genuine.await(r -> "media".equals(r.event()), LONG);
    TwilioSimulator.Call again = twilio.connect(twiml, genuineSid);
    again.awaitClose(Duration.ofSeconds(5));
    assertEquals((short) 1008, again.closeCode, "a stream token admits one stream");
    genuine.stop();
    awaitEnded(genuineSid);
  }

  /** TwiML as the voice webhook writes it, with {@code parameters} of our choosing (a forger's). */
  private static String streamTwiml(Map<String, String> parameters) {
    StringBuilder xml = new StringBuilder("<Response><Connect><Stream url=\"")
        .append(TwilioSimulator.PUBLIC_BASE_URL.replaceFirst("^http", "ws")).append("/twilio/media\">");
    parameters.forEach((k, v) -> xml.append("<Parameter name=\"").append(k).append("\" value=\"").append(v)
        .append("\"/>"));
    return xml.append("</Stream></Connect></Response>").toString();
  }

  @Test
  void should_put_the_caller_through_to_a_person_on_pressing_0() {
    String sid = callSid();
    TwilioSimulator.Call call = twilio.call(sid, "+4520304050");
    call.await(r -> "media".equals(r.event()), LONG);
    call.dtmf("0");

    TwilioSimulator.RestRequest update = awaitRest("/Calls/" + sid + ".json");
    assertTrue(update.form().get("Twiml").contains("<Dial>" + TRANSFER_NUMBER + "</Dial>"), update.form().toString());
    assertTrue(update.authorization().startsWith("Basic "), "the REST call authenticates as the account");
    JsonObject handoff = turn(transcript(sid), "bot", 1);
    assertEquals("handoff", handoff.getString("outcome"));
    call.stop();
    assertEquals("escalated", awaitEnded(sid).getString("resolution"));
  }

  @Test
  void should_offer_a_callback_outside_opening_hours_and_record_it_for_staff() {
    CLOCK.set(CLOSED);
    String sid = callSid();
    TwilioSimulator.Call call = twilio.call(sid, "+4520304050");
    call.awaitMark(1, LONG);
    call.dtmf("0");
    call.awaitMark(2, LONG);
    String offer = CallerVoice.hear(audio(replyFrames(call, 2)));
    assertTrue(offer.contains("call you back"), "the callback offer, as a recognizer hears it: " + offer);

    call.play(CallerVoice.say("yes"), true);
    call.silence(1_500, true);
    call.awaitMark(3, LONG);
    String conversationId = transcript(sid).getString("id");
    JsonObject request = admin("/api/v1/admin/callbacks").getJsonArray("callbacks").stream()
        .map(JsonObject.class::cast).filter(c -> conversationId.equals(c.getString("conversationId"))).findFirst()
        .orElseThrow(() -> new AssertionError("no open callback request for the call"));
    assertEquals("+4520304050", request.getString("phoneNumber"));
    assertEquals("en", request.getString("lang"));
    assertEquals("open", request.getString("status"));
    assertTrue(twilio.restRequests.stream().noneMatch(r -> r.path().endsWith("/Calls/" + sid + ".json")),
        "outside opening hours the call is not put through");
    assertTrue(transcript(sid).getJsonArray("events").stream().map(JsonObject.class::cast)
            .anyMatch(e -> "handoff".equals(e.getString("type"))
                && "callback requested".equals(e.getJsonObject("payload").getString("reason"))),
        "the callback is in the conversation's log");
    call.stop();
    assertEquals("escalated", awaitEnded(sid).getString("resolution"));

    Map<String, String> auth = Map.of("authorization", "Bearer " + RunningCivicBot.ADMIN_TOKEN);
    HttpTestClient.Response handled = bot.http.post("/api/v1/admin/callbacks/" + request.getString("id")
        + "/handled", "{\"agent\":\"Mette\"}", auth);
    assertEquals(200, handled.status(), handled.body());
    assertEquals("Mette", handled.json().getString("handledBy"));
    assertTrue(admin("/api/v1/admin/callbacks").getJsonArray("callbacks").stream().map(JsonObject.class::cast)
        .noneMatch(c -> request.getString("id").equals(c.getString("id"))), "a handled request is no longer open");
    assertEquals(404, bot.http.post("/api/v1/admin/callbacks/" + java.util.UUID.randomUUID() + "/handled", "{}",
        auth).status());
    assertEquals(400, bot.http.post("/api/v1/admin/callbacks/" + request.getString("id") + "/handled", "[1,",
        auth).status());
    assertEquals("Mette", bot.http.post("/api/v1/admin/callbacks/" + request.getString("id") + "/handled",
        "{\"agent\":\"Jonas\"}", auth).json().getString("handledBy"));
    assertEquals("Mette", admin("/api/v1/admin/callbacks?status=all").getJsonArray("callbacks").stream()
        .map(JsonObject.class::cast).filter(c -> request.getString("id").equals(c.getString("id"))).findFirst()
        .orElseThrow().getString("handledBy"), "handling it again keeps who handled it first");
  }

  @Test
  void should_stop_talking_when_the_caller_speaks_over_it() {
    TwilioSimulator.Call call = twilio.call(callSid(), "+4520304050");
    call.await(r -> "media".equals(r.event()), LONG);
    call.play(CallerVoice.say("when is the recycling centre open"), true);

    call.await(r -> "clear".equals(r.event()), Duration.ofSeconds(10));
    call.silence(1_500, true);
    call.await(r -> "mark".equals(r.event()) && r.message().getJsonObject("mark").getString("name")
        .startsWith("reply-2"), LONG);
    call.stop();
  }

  @Test
  void should_end_broken_streams_cleanly_without_disturbing_another_call() {
    String sid = callSid();
    TwilioSimulator.Call healthy = twilio.call(sid, "+4520304050");
    healthy.await(r -> "media".equals(r.event()), LONG);

    TwilioSimulator.Call garbage = twilio.openStream("/twilio/media");
    garbage.sendRaw("{\"event\": \"media\", this is not JSON");
    garbage.awaitClose(Duration.ofSeconds(5));
    assertEquals((short) 1007, garbage.closeCode);

    TwilioSimulator.Call noStart = twilio.openStream("/twilio/media");
    noStart.silence(100, false);
    noStart.awaitClose(Duration.ofSeconds(5));
    assertEquals((short) 1008, noStart.closeCode);

    String hungUpSid = callSid();
    TwilioSimulator.Call hungUp = twilio.call(hungUpSid, "+4520304051");
    hungUp.await(r -> "media".equals(r.event()), LONG);
    byte[] question = CallerVoice.say("where can I park my car in the city centre");
    hungUp.play(java.util.Arrays.copyOf(question, question.length / 2), true);
    hungUp.hangUp();
    awaitEnded(hungUpSid);

    healthy.play(CallerVoice.say("how do I renew my passport"), true);
    healthy.silence(1_500, true);
    healthy.await(r -> "mark".equals(r.event()) && r.message().getJsonObject("mark").getString("name")
        .equals("reply-2"), LONG);
    assertEquals("passport-adult", turn(transcript(sid), "citizen").getJsonArray("articles").getString(0));
    healthy.stop();
  }

  @Test
  void should_prompt_after_ten_seconds_of_silence() {
    String sid = callSid();
    TwilioSimulator.Call call = twilio.call(sid, "+4520304050");
    call.awaitMark(1, LONG);
    int afterGreeting = call.received.size();

    call.silence(5_000, false);
    sleep(1_500);
    assertFalse(call.since(afterGreeting).stream().anyMatch(r -> "media".equals(r.event())),
        "five seconds of silence: no prompt yet");

    call.silence(6_000, false);
    call.awaitMark(2, LONG);
    String prompt = CallerVoice.hear(audio(replyFrames(call, 2)));
    // a synthetic voice through a phone line is hard on a full-vocabulary recognizer: look for the sturdy words
    assertTrue(prompt.contains("ask you a question"),
        "the prompt, as a recognizer hears it: " + prompt);
    assertEquals("silence", turn(transcript(sid), "citizen").getString("signal"), "the silence is in the log");
    call.stop();
  }

  @Test
  void should_say_in_the_lines_language_that_it_understands_only_english_when_it_has_no_model_for_it() {
    // a line that starts in Danish (the default) on a server with only the English model the build ships
    Map<String, String> env = new HashMap<>();
    env.put("TWILIO_AUTH_TOKEN", TwilioSimulator.AUTH_TOKEN);
    env.put("PUBLIC_BASE_URL", TwilioSimulator.PUBLIC_BASE_URL);
    env.put("CIVICBOT_PHONE_MAX_CALLS", "1");
    try (TwilioSimulator danishLine = new TwilioSimulator(); RunningCivicBot server = RunningCivicBot.start(env)) {
      danishLine.civicBotPort(server.port());
      String sid = callSid();
      TwilioSimulator.Call call = danishLine.call(sid, "+4520304050");
      call.awaitMark(2, LONG);
      assertTrue(replyFrames(call, 1).size() > 50, "first the notice, spoken");
      String greeting = CallerVoice.hear(audio(replyFrames(call, 2)));
      assertTrue(greeting.contains("automated") && greeting.contains("computer"),
          "then the English greeting, heard as: " + greeting);
      assertEquals("en", transcript(server, sid).getString("lang"));

      int before = call.received.size();
      call.dtmf("1");
      call.silence(1_500, true);
      assertTrue(call.since(before).stream().noneMatch(r -> "media".equals(r.event())),
          "pressing 1 for Danish changes nothing when Danish cannot be understood");

      // the line takes one call at a time: a second caller hears the lines are busy and may ask for a callback
      String busySid = callSid();
      HttpResponse<String> busy = danishLine.webhook("/twilio/voice",
          TwilioSimulator.incomingCallForm(busySid, "+4520304077"), TwilioSimulator.AUTH_TOKEN);
      assertEquals(200, busy.statusCode());
      assertFalse(busy.body().contains("<Stream"), "no stream for a call beyond the limit: " + busy.body());
      assertTrue(busy.body().contains("optaget") && busy.body().contains("<Gather"), busy.body());
      Map<String, String> pressed = new HashMap<>(TwilioSimulator.incomingCallForm(busySid, "+4520304077"));
      pressed.put("Digits", "1");
      HttpResponse<String> choice = danishLine.webhook("/twilio/busy?tenant=eksempel", pressed,
          TwilioSimulator.AUTH_TOKEN);
      assertEquals(200, choice.statusCode(), choice.body());
      assertTrue(choice.body().contains("7 7") && choice.body().contains("<Hangup"), choice.body());
      String conversationId = transcript(server, busySid).getString("id");
      assertTrue(admin(server, "/api/v1/admin/callbacks").getJsonArray("callbacks").stream()
              .map(JsonObject.class::cast).anyMatch(c -> conversationId.equals(c.getString("conversationId"))
                  && "+4520304077".equals(c.getString("phoneNumber"))),
          "the busy caller's callback request is in the staff's list");
      call.stop();
      awaitEnded(server, sid);
      assertTrue(danishLine.webhook("/twilio/voice", TwilioSimulator.incomingCallForm(callSid(), "+4520304078"),
          TwilioSimulator.AUTH_TOKEN).body().contains("<Stream"), "once the call ended, the line takes a new one");
    }
  }

  @Test
  void should_put_spoken_requests_for_a_person_through() {
    // phrasings the synthetic caller's voice gets through the phone line; bench-phone measures a dozen
    for (String request : List.of("i want to talk to a human", "can i talk to an agent",
        "is there anyone i can talk to")) {
      String sid = callSid();
      TwilioSimulator.Call call = twilio.call(sid, "+4520304050");
      call.awaitMark(1, LONG);
      call.play(CallerVoice.say(request), true);
      call.silence(1_500, true);
      TwilioSimulator.RestRequest update = awaitRest("/Calls/" + sid + ".json");
      assertTrue(update.form().get("Twiml").contains("<Dial>" + TRANSFER_NUMBER + "</Dial>"),
          "\"" + request + "\" is put through: " + update.form());
      call.stop();
      assertEquals("handoff", turn(transcript(sid), "citizen").getString("outcome"), request);
    }
  }

  @Test
  void should_survive_concurrent_calls_with_barge_in_and_hang_ups_mid_recognition_and_keep_serving_chat()
      throws InterruptedException {
    // varied questions, so each call's decoder takes another path and its utterance ends at another moment
    List<byte[]> questions = List.of("how do I renew my passport", "when is the recycling centre open",
            "i want to report a pothole in my street", "can i get help with home care for my mother",
            "how much does a parking permit cost", "where do i register a change of address")
        .stream().map(CallerVoice::say).toList();
    List<PhoneSoak.CallResult> results = new PhoneSoak(twilio, questions, 20261202L)
        .run(4, 5, Duration.ofMinutes(4));

    assertEquals(20, results.size(), PhoneSoak.summary(results));
    List<PhoneSoak.CallResult> failed = results.stream().filter(r -> !r.ok()).toList();
    assertTrue(failed.isEmpty(), "calls that did not go as scripted: " + failed + " (" + PhoneSoak.summary(results)
        + ")");
    for (PhoneSoak.CallResult r : results) {
      assertTrue(awaitEnded(r.callSid()).getString("resolution") != null, "call " + r.callSid() + " ended");
    }
    // the server is alive and answers a chat as before
    assertEquals(200, bot.http.get("/health", Map.of()).status());
    HttpTestClient.Response started = bot.http.post("/api/v1/conversations",
        new JsonObject().put("channel", "web").put("lang", "en"));
    assertEquals(201, started.status(), started.body());
    HttpTestClient.Response answered = bot.http.post("/api/v1/conversations/" + started.json().getString("id")
        + "/messages", new JsonObject().put("text", "how do I renew my passport"));
    assertEquals(200, answered.status(), answered.body());
    assertEquals("answered", answered.json().getString("outcome"), answered.body());
  }

  // ---- helpers ---------------------------------------------------------------------------------------------------

  /** The media frames of reply {@code n}: after the mark of reply n-1, before the mark of reply n. */
  private static List<TwilioSimulator.Call.Received> replyFrames(TwilioSimulator.Call call, int n) {
    List<TwilioSimulator.Call.Received> all = call.received;
    int start = 0;
    int end = all.size();
    for (int i = 0; i < all.size(); i++) {
      JsonObject m = all.get(i).message();
      if ("mark".equals(m.getString("event"))) {
        String name = m.getJsonObject("mark").getString("name");
        if (name.equals("reply-" + (n - 1))) {
          start = i + 1;
        } else if (name.equals("reply-" + n)) {
          end = i;
        }
      }
    }
    return all.subList(start, end).stream().filter(r -> "media".equals(r.event())).toList();
  }

  private static byte[] audio(List<TwilioSimulator.Call.Received> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frames.forEach(f -> out.writeBytes(Base64.getDecoder().decode(
        f.message().getJsonObject("media").getString("payload"))));
    return out.toByteArray();
  }

  private static JsonObject admin(String path) {
    return admin(bot, path);
  }

  private static JsonObject admin(RunningCivicBot server, String path) {
    return server.http.get(path, Map.of("authorization", "Bearer " + RunningCivicBot.ADMIN_TOKEN)).json();
  }

  private static JsonObject transcript(String callSid) {
    return transcript(bot, callSid);
  }

  private static JsonObject transcript(RunningCivicBot server, String callSid) {
    JsonArray found = admin(server, "/api/v1/admin/conversations?channel=phone&externalId=" + callSid)
        .getJsonArray("conversations");
    assertEquals(1, found.size(), "one phone conversation for the call");
    return admin(server, "/api/v1/admin/conversations/" + found.getJsonObject(0).getString("id"));
  }

  /** The {@code index}th turn (0-based) from {@code from}. */
  private static JsonObject turn(JsonObject transcript, String from, int index) {
    List<JsonObject> turns = transcript.getJsonArray("turns").stream().map(JsonObject.class::cast)
        .filter(t -> from.equals(t.getString("from"))).toList();
    assertTrue(turns.size() > index, "no " + from + " turn " + index + " in " + transcript.encodePrettily());
    return turns.get(index);
  }

  private static JsonObject turn(JsonObject transcript, String from) {
    return turn(transcript, from, 0);
  }

  /** The payload of the first stored event of {@code type}. */
  private static JsonObject events(JsonObject transcript, String type) {
    return transcript.getJsonArray("events").stream().map(JsonObject.class::cast)
        .filter(e -> type.equalsIgnoreCase(e.getString("type"))).findFirst()
        .map(e -> e.getJsonObject("payload")).orElseThrow(() -> new AssertionError("no " + type + " event"));
  }

  private static TwilioSimulator.RestRequest awaitRest(String pathEnd) {
    long deadline = System.nanoTime() + LONG.toNanos();
    while (System.nanoTime() < deadline) {
      for (TwilioSimulator.RestRequest r : twilio.restRequests) {
        if (r.path().endsWith(pathEnd)) {
          return r;
        }
      }
      sleep(50);
    }
    throw new AssertionError("no REST request to " + pathEnd + "; got " + twilio.restRequests);
  }

  /** Waits until the call's conversation has ended; returns it. */
  private static JsonObject awaitEnded(String callSid) {
    return awaitEnded(bot, callSid);
  }

  private static JsonObject awaitEnded(RunningCivicBot server, String callSid) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject t = transcript(server, callSid);
      if (t.getString("endedAt") != null) {
        return t;
      }
      sleep(100);
    }
    throw new AssertionError("the conversation of call " + callSid + " did not end");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
