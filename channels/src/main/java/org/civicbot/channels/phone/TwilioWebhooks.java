package org.civicbot.channels.phone;

import com.twilio.http.HttpMethod;
import com.twilio.security.RequestValidator;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Connect;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Parameter;
import com.twilio.twiml.voice.Say;
import com.twilio.twiml.voice.Stream;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.civicbot.bot.handoff.CallbackRequest;
import org.civicbot.knowledge.Language;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Twilio's HTTP webhooks: {@code POST /twilio/voice} answers an incoming call with TwiML that connects a bidirectional
 * Media Stream, and {@code POST /twilio/status} records call status callbacks. Every request must carry a valid
 * {@code X-Twilio-Signature} for the auth token; anything else gets 403 and changes nothing.
 */
public final class TwilioWebhooks {
  private static final Logger LOG = LoggerFactory.getLogger(TwilioWebhooks.class);
  private static final Set<String> FINAL_STATUSES = Set.of("completed", "busy", "failed", "no-answer", "canceled");
  private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  /** Twilio's own voice for the busy message: the line's speech is not streaming yet. */
  private static final Map<Language, Say.Language> SAY_LANGUAGE = Map.of(Language.DA, Say.Language.DA_DK,
      Language.EN, Say.Language.EN_GB);

  private final PhoneLine line;
  private final PhoneSettings settings;
  private final RequestValidator validator;

  TwilioWebhooks(PhoneLine line, RequestValidator validator) {
    this.line = line;
    this.settings = line.settings;
    this.validator = validator;
  }

  /** Mounts the webhooks; expects the body handler before them (Twilio posts forms). */
  public void mount(Router router) {
    router.post("/twilio/voice").handler(this::signed).handler(this::voice);
    router.post("/twilio/busy").handler(this::signed).handler(this::busyChoice);
    router.post("/twilio/status").handler(this::signed).handler(this::status);
  }

  /** Lets a request through only with Twilio's signature over the public URL and the form parameters. */
  private void signed(RoutingContext ctx) {
    String signature = ctx.request().getHeader("X-Twilio-Signature");
    String url = settings.publicBaseUrl() + ctx.request().uri();
    Map<String, String> params = new HashMap<>();
    MultiMap form = ctx.request().formAttributes();
    form.names().forEach(name -> params.put(name, form.get(name)));
    if (signature == null || !validator.validate(url, params, signature)) {
      LOG.warn("Refused a Twilio webhook to {} with a {} signature", ctx.request().path(),
          signature == null ? "missing" : "wrong");
      ctx.fail(403, new IllegalArgumentException("The request does not carry a valid Twilio signature."));
      return;
    }
    ctx.next();
  }

  private void voice(RoutingContext ctx) {
    String callSid = ctx.request().getFormAttribute("CallSid");
    String tenant = ctx.request().getParam("tenant", settings.defaultTenant());
    if (callSid == null || callSid.isBlank() || !TENANT.matcher(tenant).matches() || !line.tenantAvailable(tenant)) {
      ctx.fail(400, new IllegalArgumentException(callSid == null || callSid.isBlank() ? "CallSid is missing."
          : "Unknown tenant '" + tenant + "'."));
      return;
    }
    String from = ctx.request().getFormAttribute("From");
    String caller = CallbackRequest.isPhoneNumber(from) ? from : "";
    if (!line.admit(callSid, tenant)) {
      twiml(ctx, busy(tenant, !caller.isEmpty()));
      return;
    }
    Stream.Builder stream = new Stream.Builder().url(settings.mediaStreamUrl())
        .parameter(new Parameter.Builder().name("tenant").value(tenant).build())
        .parameter(new Parameter.Builder().name("callSid").value(callSid).build());
    if (!caller.isEmpty()) {
      // held by the call's session, to text an answer or call back when the caller asks; stored only for a callback
      stream.parameter(new Parameter.Builder().name("caller").value(caller).build());
    }
    // binds the stream to this signed webhook: CallSid, tenant and caller cannot be changed or the token reused
    stream.parameter(new Parameter.Builder().name("token")
        .value(line.tokens.issue(callSid, tenant, caller, line.clock.instant().plus(PhoneLine.STREAM_TOKEN_TTL)))
        .build());
    String twiml = new VoiceResponse.Builder()
        .connect(new Connect.Builder().stream(stream.build()).build())
        .build().toXml();
    LOG.info("Incoming call {} for tenant {}", callSid, tenant);
    twiml(ctx, twiml);
  }

  /**
   * The line is full: the caller hears so (in Twilio's voice), and is put through to a person when someone takes
   * calls; otherwise offered a callback by pressing 1 (answered at {@code /twilio/busy}), or told when to call again.
   */
  private String busy(String tenant, boolean canCallBack) {
    Language lang = settings.defaultLanguage();
    VoiceResponse.Builder response = new VoiceResponse.Builder().say(say(lang, "linesBusy"));
    if (line.staffedNow(tenant)) {
      return response.say(say(lang, "busyPutThrough"))
          .dial(new Dial.Builder(settings.transferNumber().get()).build()).build().toXml();
    }
    if (canCallBack) {
      response.gather(new Gather.Builder().inputs(Gather.Input.DTMF).numDigits(1).timeout(8)
          .action(settings.publicBaseUrl() + "/twilio/busy?tenant=" + tenant).method(HttpMethod.POST)
          .say(say(lang, "busyCallbackKey")).build());
    }
    return callAgainLater(response, lang);
  }

  /** A busy caller pressed a key: 1 files a callback request on the number they call from (a phone conversation). */
  private void busyChoice(RoutingContext ctx) {
    String callSid = ctx.request().getFormAttribute("CallSid");
    String from = ctx.request().getFormAttribute("From");
    String tenant = ctx.request().getParam("tenant", settings.defaultTenant());
    Language lang = settings.defaultLanguage();
    if (callSid == null || callSid.isBlank() || !TENANT.matcher(tenant).matches() || !line.tenantAvailable(tenant)) {
      ctx.fail(400, new IllegalArgumentException("CallSid is missing or the tenant unknown."));
      return;
    }
    if (!"1".equals(ctx.request().getFormAttribute("Digits")) || !CallbackRequest.isPhoneNumber(from)) {
      twiml(ctx, callAgainLater(new VoiceResponse.Builder(), lang));
      return;
    }
    line.engine.start(tenant, PhoneCall.CHANNEL, Optional.of(callSid), Optional.of(lang))
        .compose(started -> line.engine.requestHandoff(started.conversation().id(), "lines busy")
            .compose(v -> line.callbacks.request(tenant, started.conversation().id(), from, lang))
            .compose(request -> line.engine.recordCallback(started.conversation().id(), request.id(),
                from.substring(from.length() - 2)))
            .compose(reply -> line.engine.end(started.conversation().id(), "callback requested").map(reply)))
        .onSuccess(reply -> twiml(ctx, new VoiceResponse.Builder()
            .say(new Say.Builder(reply.spoken()).language(SAY_LANGUAGE.get(lang)).build())
            .hangup(new Hangup.Builder().build()).build().toXml()))
        .onFailure(e -> {
          LOG.warn("Call {}: the busy caller's callback could not be stored", callSid, e);
          twiml(ctx, callAgainLater(new VoiceResponse.Builder(), lang));
        });
  }

  /** Tells when people take calls again, then hangs up. */
  private String callAgainLater(VoiceResponse.Builder response, Language lang) {
    return response.say(say(lang, "transferUnavailable")).hangup(new Hangup.Builder().build()).build().toXml();
  }

  private Say say(Language lang, String key) {
    return new Say.Builder(line.texts.get(lang, key)).language(SAY_LANGUAGE.get(lang)).build();
  }

  private static void twiml(RoutingContext ctx, String twiml) {
    ctx.response().putHeader("content-type", "text/xml; charset=utf-8").end(twiml);
  }

  private void status(RoutingContext ctx) {
    String callSid = ctx.request().getFormAttribute("CallSid");
    String status = ctx.request().getFormAttribute("CallStatus");
    if (callSid == null || status == null) {
      ctx.fail(400, new IllegalArgumentException("CallSid and CallStatus are required."));
      return;
    }
    LOG.info("Call {} status {}", callSid, status);
    if (FINAL_STATUSES.contains(status)) {
      line.conversations.findByExternalId(PhoneCall.CHANNEL, callSid)
          .compose(found -> {
            io.vertx.core.Future<Void> all = io.vertx.core.Future.succeededFuture();
            for (var c : found) {
              if (c.endedAt().isEmpty()) {
                all = all.compose(v -> line.engine.end(c.id(), "call " + status));
              }
            }
            return all;
          })
          .onFailure(e -> LOG.warn("Could not end the conversation of call {}", callSid, e));
    }
    ctx.response().setStatusCode(204).end();
  }
}
