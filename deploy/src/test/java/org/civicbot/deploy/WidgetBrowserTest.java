package org.civicbot.deploy;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chat widget in real headless Chromium (Debian's package, driven by Playwright without any browser download)
 * against a running CivicBot: the demo page, a question and its answer with the source link, a suggestion, feedback,
 * keyboard focus order, the aria-live log, hostile input, and a reload. Screenshots go to target/screenshots.
 */
class WidgetBrowserTest {
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static RunningCivicBot civicbot;
  private static Playwright playwright;
  private static Browser browser;

  @BeforeAll
  static void startBrowser() throws Exception {
    civicbot = RunningCivicBot.shared();
    Files.createDirectories(SCREENSHOTS);
    playwright = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(Path.of(System.getProperty("civicbot.chromium", "/usr/bin/chromium")))
        .setHeadless(true)
        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic")));
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
  }

  private Page open(String path) {
    Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1280, 900));
    List<String> errors = new ArrayList<>();
    page.onPageError(errors::add);
    page.onConsoleMessage(m -> {
      if (m.type().equals("error")) {
        errors.add(m.text());
      }
    });
    page.navigate("http://127.0.0.1:" + civicbot.port() + path);
    page.locator(".civicbot-msg-bot").first().waitFor();
    assertTrue(errors.isEmpty(), "no script errors: " + errors);
    return page;
  }

  @Test
  void should_answer_with_a_source_link_take_a_suggestion_and_feedback() {
    Page page = open("/en/");
    Locator log = page.locator(".civicbot-log");
    assertEquals("log", log.getAttribute("role"));
    assertEquals("polite", log.getAttribute("aria-live"));
    assertTrue(page.locator(".civicbot-msg-bot").first().innerText().contains("automated assistant"));

    page.locator(".civicbot-input").fill("When is my bin emptied?");
    page.keyboard().press("Enter");
    Locator answer = page.locator(".civicbot-msg-bot[data-outcome=answered]").first();
    answer.waitFor();
    assertTrue(log.locator(".civicbot-msg-citizen").first().innerText().contains("When is my bin emptied?"),
        "the question is shown inside the live log");
    Locator source = answer.locator("a.civicbot-source").first();
    assertTrue(source.getAttribute("href").startsWith("https://www.eksempel-kommune.dk/"), source.getAttribute("href"));
    assertEquals(0, page.locator(".civicbot-typing:visible").count(), "the typing indicator is gone");
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("widget-answer.png")));

    answer.locator(".civicbot-feedback-yes").click();
    page.waitForCondition(() -> page.locator(".civicbot-msg-bot").count() >= 3);
    String id = conversationId(page);
    JsonArray events = admin(id).getJsonArray("events");
    assertTrue(events.stream().map(JsonObject.class::cast).anyMatch(e -> e.getString("type").equals("feedback")
        && e.getJsonObject("payload").getBoolean("resolved")), "the feedback reached the server");

    int before = page.locator(".civicbot-msg-bot[data-outcome=answered]").count();
    page.locator(".civicbot-suggestion").first().click();
    page.waitForCondition(() -> page.locator(".civicbot-msg-bot[data-outcome=answered]").count() > before);
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("widget-suggestion.png")));

    // ending the chat ends the conversation on the server; the next message starts a new one
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("End chat")).click();
    page.locator(".civicbot-msg-ended").waitFor();
    assertEquals("status", page.locator(".civicbot-msg-ended").getAttribute("role"));
    JsonArray afterEnd = admin(id).getJsonArray("events");
    JsonObject endedEvent = afterEnd.stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("type").equals("ended")).findFirst()
        .orElseThrow(() -> new AssertionError("the conversation ended: " + afterEnd.encode()));
    assertEquals("closed by citizen", endedEvent.getJsonObject("payload").getString("reason"));
    assertTrue(page.locator("a.civicbot-transcript").getAttribute("href").contains("/" + id + "/transcript.txt"),
        "the conversation is offered as a file at the end");
    assertEquals("confirmed", endedEvent.getJsonObject("payload").getString("outcome"), "the citizen said yes");
    page.locator(".civicbot-input").fill("When is the library open?");
    page.keyboard().press("Enter");
    page.waitForCondition(() -> !id.equals(conversationId(page)) && conversationId(page) != null);
    page.close();
  }

  @Test
  void should_lead_with_the_section_that_answers_and_fold_the_whole_guide() {
    Page page = open("/en/");
    page.locator(".civicbot-input").fill("What does an adult passport cost for a pensioner?");
    page.keyboard().press("Enter");
    Locator answer = page.locator(".civicbot-msg-bot[data-outcome=answered]").first();
    answer.waitFor();
    Locator lead = answer.locator(".civicbot-lead");
    assertTrue(lead.innerText().contains("DKK 400"), "the price comes first: " + lead.innerText());
    assertFalse(lead.innerText().contains("What to bring"), "one section, not the whole guide");
    Locator whole = answer.locator("details.civicbot-whole");
    assertEquals(Boolean.FALSE, whole.evaluate("d => d.open"), "the whole guide is folded");
    assertFalse(answer.getByText("bring your old passport").first().isVisible(), "folded away");
    Locator related = answer.locator(".civicbot-suggestions");
    assertEquals("You can also ask about", related.getAttribute("aria-label"));
    assertTrue(related.locator(".civicbot-suggestion").count() >= 1, "related questions to go on with");
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("widget-lead.png")));

    whole.locator("summary").click();
    assertEquals(Boolean.TRUE, whole.evaluate("d => d.open"));
    assertTrue(whole.getByText("What to bring").isVisible(), "the whole guide unfolds");
    assertTrue(answer.locator("a.civicbot-source").first().isVisible(), "with its source link");

    page.reload();
    page.locator(".civicbot-msg-bot[data-outcome=answered] .civicbot-lead").first().waitFor();
    assertTrue(page.locator(".civicbot-lead").first().innerText().contains("DKK 400"), "a reload shows the same lead");
    page.close();
  }

  @Test
  void should_offer_one_talk_to_a_person_control_when_it_cannot_answer() {
    Page page = open("/en/");
    page.locator(".civicbot-input").fill("what is the capital of Mongolia");
    page.keyboard().press("Enter");
    page.locator(".civicbot-msg-bot[data-outcome=fallback]").waitFor();
    assertEquals(1, page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Talk to a person"))
        .count(), "one control, the footer's, not a second among the suggestions");
    page.close();
  }

  @Test
  void should_be_usable_with_the_keyboard_in_a_sensible_focus_order() {
    Page page = open("/");
    page.locator(".civicbot-input").focus();
    page.keyboard().type("hvornår har genbrugspladsen åbent");
    page.keyboard().press("Enter");
    page.locator(".civicbot-msg-bot[data-outcome]").nth(1).waitFor();
    assertTrue(page.evaluate("document.activeElement.classList.contains('civicbot-input')").equals(Boolean.TRUE),
        "focus stays in the input after a reply");

    page.locator(".civicbot-close").focus();
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Object cls = page.evaluate("document.activeElement.className || document.activeElement.tagName");
      order.add(String.valueOf(cls));
      page.keyboard().press("Tab");
    }
    int close = indexOf(order, "civicbot-close");
    int link = indexOf(order, "civicbot-source");
    int input = indexOf(order, "civicbot-input");
    int send = indexOf(order, "civicbot-send");
    int person = indexOf(order, "civicbot-person");
    assertTrue(close >= 0 && close < link && link < input && input < send && send < person, order.toString());
    for (Locator control : page.locator("#civicbot-widget button, #civicbot-widget textarea, #civicbot-widget input")
        .all()) {
      String name = (String) control.evaluate("e => e.getAttribute('aria-label') || e.labels?.[0]?.textContent"
          + " || e.textContent");
      assertFalse(name == null || name.isBlank(), "every control has a name: " + control);
    }
    page.locator(".civicbot-input").focus();
    page.keyboard().press("Escape");
    assertTrue(page.evaluate("document.activeElement.classList.contains('civicbot-launcher')").equals(Boolean.TRUE),
        "Escape closes the panel and returns focus to the launcher");
    assertEquals(1, page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Chat med os")).count());
    page.close();
  }

  @Test
  void should_show_hostile_text_as_text_and_keep_the_conversation_over_a_reload() {
    Page page = open("/en/");
    String hostile = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script> passport?";
    page.locator(".civicbot-input").fill(hostile);
    page.keyboard().press("Enter");
    page.locator(".civicbot-msg-bot").nth(1).waitFor();
    assertEquals(Boolean.TRUE, page.evaluate("typeof window.__pwned === 'undefined'"));
    assertEquals(hostile, page.locator(".civicbot-msg-citizen").first().innerText().strip());
    assertEquals(0, page.locator(".civicbot-log img").count());

    int messages = page.locator(".civicbot-msg").count();
    page.reload();
    page.waitForCondition(() -> page.locator(".civicbot-msg").count() >= messages);
    assertEquals(messages, page.locator(".civicbot-msg").count(), "the conversation survives a reload");
    assertEquals(Boolean.TRUE, page.evaluate("typeof window.__pwned === 'undefined'"));
    page.close();
  }

  @Test
  void should_tease_on_a_phone_and_keep_the_page_behind_the_open_panel_inert() {
    Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(360, 740).setIsMobile(true)
        .setHasTouch(true).setLocale("da-DK"));
    page.navigate("http://127.0.0.1:" + civicbot.port() + "/");
    // the page asks for the chat open at load; on a phone that is a teaser, not a panel over the page
    Locator teaser = page.locator(".civicbot-teaser");
    teaser.waitFor();
    assertTrue(page.locator(".civicbot-panel").isHidden(), "the panel does not cover the page on first load");
    var teaserBox = teaser.boundingBox();
    assertTrue(teaserBox.height < 200 && teaserBox.x >= 0 && teaserBox.x + teaserBox.width <= 360.5,
        "a small teaser within the screen: " + teaserBox.width + "x" + teaserBox.height);
    assertEquals(Boolean.FALSE, page.evaluate("document.querySelector('main').inert"));
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("widget-phone-teaser.png")));
    assertAccessible(page, "the teaser");

    page.locator(".civicbot-teaser-open").tap();
    page.locator(".civicbot-msg-bot").first().waitFor();
    var box = page.locator(".civicbot-panel").boundingBox();
    assertTrue(box.x >= 0 && box.x + box.width <= 360.5 && box.height >= 700, "the panel fills the screen: " + box);
    assertTrue(page.locator(".civicbot-send").boundingBox().height >= 44, "touch target at least 44 px");
    assertEquals(Boolean.TRUE, page.evaluate("document.querySelector('main').inert"), "the page behind is inert");
    assertEquals("true", page.locator(".civicbot-panel").getAttribute("aria-modal"));
    assertEquals("hidden", page.evaluate("getComputedStyle(document.documentElement).overflow"), "and does not scroll");
    for (int i = 0; i < 25; i++) {
      page.keyboard().press("Tab");
      assertEquals(Boolean.TRUE, page.evaluate("document.getElementById('civicbot-widget')"
          + ".contains(document.activeElement) || document.activeElement === document.body"),
          "Tab stays in the chat while it covers the page");
    }
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("widget-phone.png")));
    assertAccessible(page, "the open panel");

    page.locator(".civicbot-close").tap();
    assertEquals(Boolean.FALSE, page.evaluate("document.querySelector('main').inert"), "closed, the page is back");
    assertEquals("false", page.locator(".civicbot-panel").getAttribute("aria-modal"));
    page.close();
  }

  /** axe-core (WCAG 2.1 A and AA) finds nothing in the widget. */
  private static void assertAccessible(Page page, String state) {
    AxeResults results = new AxeBuilder(page).include("#civicbot-widget")
        .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")).analyze();
    assertEquals(0, results.getViolations().size(), state + ": " + results.getViolations().stream()
        .map(v -> v.getId() + " " + v.getNodes().stream().map(n -> String.valueOf(n.getTarget())).toList())
        .toList());
  }

  private static int indexOf(List<String> order, String cls) {
    for (int i = 0; i < order.size(); i++) {
      if (order.get(i).contains(cls)) {
        return i;
      }
    }
    return -1;
  }

  private static String conversationId(Page page) {
    return (String) page.evaluate("Object.keys(sessionStorage).filter(k => k.endsWith(':conversation'))"
        + ".map(k => sessionStorage.getItem(k))[0]");
  }

  private static JsonObject admin(String id) {
    return civicbot.http.get("/api/v1/admin/conversations/" + id,
        Map.of("authorization", "Bearer " + RunningCivicBot.ADMIN_TOKEN)).json();
  }
}
