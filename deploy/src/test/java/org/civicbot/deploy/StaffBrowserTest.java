package org.civicbot.deploy;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import io.vertx.core.json.JsonObject;
import org.civicbot.admin.staff.Role;
import org.civicbot.admin.staff.StaffUser;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.imports.ArticleArchive;
import org.civicbot.knowledge.imports.ArticleFile;
import org.civicbot.knowledge.imports.ArticleFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The staff web app in real headless Chromium (Debian's package, through Playwright): logging in, every page checked
 * by axe-core for WCAG 2.1 A and AA with 0 violations, an article written and published in the browser and then
 * answered by the chat API, the live preview, a content gap closed with one click, and the test console's trace.
 * Screenshots of each page go to target/screenshots/staff-*.png.
 */
class StaffBrowserTest {
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final List<String> WCAG = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");
  private static RunningCivicBot civicbot;
  private static Playwright playwright;
  private static Browser browser;
  private static StaffUser editor;

  @BeforeAll
  static void startBrowser() throws Exception {
    civicbot = StaffServer.shared();
    editor = StaffServer.user("eksempel", Role.EDITOR, Role.ADMIN);
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

  /** A page of a fresh browser context (its own cookies) that records script errors and CSP violations. */
  private static Page newPage(List<String> errors) {
    BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900)
        .setLocale("da-DK"));
    // a publish answers once the index holds the change: seconds here, longer on a busy CI machine
    context.setDefaultTimeout(120_000);
    Page page = context.newPage();
    page.onPageError(errors::add);
    page.onConsoleMessage(m -> {
      // a wrong password (401) and the missing page (404) are answered as meant; the browser logs those too
      if (m.type().equals("error") && !m.text().startsWith("Failed to load resource")) {
        errors.add(m.text());
      }
    });
    return page;
  }

  private static String url(String path) {
    // localhost, not 127.0.0.1: a secure context, where the browser keeps the Secure session cookie over http
    return "http://localhost:" + civicbot.port() + path;
  }

  private static Page loggedIn(List<String> errors) {
    return loggedIn(errors, editor, "/admin/articles");
  }

  private static Page loggedIn(List<String> errors, StaffUser user, String path) {
    return loggedIn(errors, user, civicbot.port(), path);
  }

  /** Logged in on the server listening on {@code port}. */
  private static Page loggedIn(List<String> errors, StaffUser user, int port, String path) {
    Page page = newPage(errors);
    page.navigate("http://localhost:" + port + path);
    assertTrue(page.url().contains("/admin/login"), "sent to the login first: " + page.url());
    page.getByLabel("E-mailadresse").fill(user.email());
    page.getByLabel("Adgangskode").fill(StaffServer.PASSWORD);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log ind")).click();
    page.waitForURL("**" + path);
    return page;
  }

  private static void assertAccessible(Page page, String name) {
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("staff-" + name + ".png"))
        .setFullPage(true));
    AxeResults results = new AxeBuilder(page).withTags(WCAG).analyze();
    List<Rule> violations = results.getViolations();
    assertEquals(0, violations.size(), name + ": " + violations.stream()
        .map(v -> v.getId() + " (" + v.getNodes().stream().map(n -> String.valueOf(n.getTarget()))
            .collect(Collectors.joining(", ")) + ")").collect(Collectors.joining("; ")));
  }

  @Test
  void should_pass_axe_on_every_page_in_both_languages() {
    List<String> errors = new ArrayList<>();
    Page page = newPage(errors);
    page.navigate(url("/admin/login"));
    assertEquals("da", page.locator("html").getAttribute("lang"));
    assertAccessible(page, "login");
    page.getByLabel("E-mailadresse").fill(editor.email());
    page.getByLabel("Adgangskode").fill("wrong password");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log ind")).click();
    assertTrue(page.getByRole(AriaRole.ALERT).innerText().contains("forkert"));
    assertAccessible(page, "login-error");

    page = loggedIn(errors);
    for (String[] p : new String[][] {{"/admin/", "home"}, {"/admin/articles", "articles"},
        {"/admin/articles/about-assistant", "article"}, {"/admin/articles/new", "article-new"},
        {"/admin/articles/about-assistant/da/diff?from=1&to=1", "diff"}, {"/admin/gaps", "gaps"},
        {"/admin/console", "console"}, {"/admin/concepts", "concepts"}, {"/admin/audit", "audit"},
        {"/admin/regressions", "regressions-list"}, {"/admin/users", "users"},
        {"/admin/users/" + editor.id(), "user"}, {"/admin/account", "account"}, {"/admin/hours", "hours"},
        {"/admin/no-such-page", "error"}}) {
      page.navigate(url(p[0]));
      assertAccessible(page, p[1]);
    }
    page.navigate(url("/admin/articles?ui=en"));
    assertEquals("en", page.locator("html").getAttribute("lang"));
    assertTrue(page.locator("h1").innerText().contains("Articles"));
    assertAccessible(page, "articles-en");
    page.navigate(url("/admin/console"));
    assertTrue(page.locator("h1").innerText().contains("Test console"), "the language choice is kept");
    page.keyboard().press("Tab");
    assertEquals("skip", page.evaluate("document.activeElement.className"), "the skip link comes first");
    assertTrue(errors.isEmpty(), "no script errors or CSP violations: " + errors);
  }

  @Test
  void should_write_and_publish_an_article_in_the_browser_that_the_chat_then_answers_with() {
    List<String> errors = new ArrayList<>();
    Page page = loggedIn(errors);
    String slug = "test-compost-" + Long.toString(System.nanoTime(), 36);
    page.navigate(url("/admin/articles/new"));
    page.getByLabel("Id (små bogstaver, tal og bindestreger)").fill(slug);
    page.getByLabel("Sprog").selectOption("en");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Opret artikel")).click();
    Locator english = page.locator("section#en");
    english.getByLabel("Titel").fill("Compost bins for allotment gardens");
    english.getByLabel("Område").fill("environment");
    english.getByLabel("Spørgsmålsformuleringer (én pr. linje)")
        .fill("Can I get a compost bin for my allotment garden?\nWhere do I order an allotment compost bin?");
    english.getByLabel("Svar (Markdown)").fill("Order a **compost bin** for your allotment from the recycling"
        + " centre.");
    english.locator(".civicbot-preview strong").waitFor();
    assertEquals("compost bin", english.locator(".civicbot-preview strong").innerText(),
        "the live preview renders the Markdown");
    english.getByLabel("Talt form (til telefonen)").fill("Order a compost bin from the recycling centre.");
    english.getByLabel("Kilde-URL").fill("https://example.org/compost");
    english.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Gem og udgiv")).click();
    page.getByRole(AriaRole.STATUS).first().waitFor();
    assertTrue(page.getByRole(AriaRole.STATUS).first().innerText().contains("udgivet"),
        page.getByRole(AriaRole.STATUS).first().innerText());
    assertAccessible(page, "article-published");

    JsonObject reply = EditorApiTest.ask("where can I order a compost bin for my allotment garden");
    assertEquals("answered", reply.getString("outcome"), reply.encode());
    assertEquals(slug, reply.getJsonArray("articles").getJsonObject(0).getString("slug"));
    assertTrue(reply.getJsonArray("replies").getJsonObject(0).getString("text").contains("recycling centre"));
    assertTrue(errors.isEmpty(), "no script errors: " + errors);
  }

  @Test
  void should_close_a_content_gap_with_one_click_and_show_the_trace_in_the_console() {
    String slug = "test-kayak-" + Long.toString(System.nanoTime(), 36);
    StaffClient api = StaffServer.loggedIn(editor);
    assertEquals(201, api.json("PUT", "/api/v1/admin/articles/" + slug + "/en", EditorApiTest.article(
        "Kayaks may be launched from the public jetty.", "Where can I launch my kayak?"), true).status());
    assertEquals(200, api.json("POST", "/api/v1/admin/articles/" + slug + "/en/publish", new JsonObject(), true)
        .status());
    String question = "Which office stamps the purple ferry punch cards for pensioners?";
    assertEquals("fallback", EditorApiTest.ask(question).getString("outcome"));

    List<String> errors = new ArrayList<>();
    Page page = loggedIn(errors);
    page.navigate(url("/admin/gaps?lang=en"));
    Locator gap = page.locator("li.gap").filter(new Locator.FilterOptions().setHasText(question));
    assertEquals(1, gap.count(), "the fallback question is listed");
    assertAccessible(page, "gaps-listed");
    gap.getByLabel("Artikel").selectOption(slug);
    gap.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Tilføj som formulering")).click();
    page.getByRole(AriaRole.STATUS).first().waitFor();
    assertTrue(page.getByRole(AriaRole.STATUS).first().innerText().contains(slug));
    assertEquals(0, page.locator("li.gap").filter(new Locator.FilterOptions().setHasText(question)).count());
    JsonObject after = EditorApiTest.ask(question);
    assertEquals("answered", after.getString("outcome"), after.encode());
    assertEquals(slug, after.getJsonArray("articles").getJsonObject(0).getString("slug"));

    page.navigate(url("/admin/console"));
    page.getByLabel("Spørgsmål").fill(question);
    page.getByLabel("Sprog").selectOption("en");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Spørg")).click();
    page.locator("table.hits").waitFor();
    assertEquals("answered", page.locator(".outcome").innerText());
    assertTrue(page.locator("table.hits tbody tr").first().innerText().contains(slug), "the top hit is shown");
    assertTrue(page.locator("table.hits").innerText().contains("phraseBm25"), "with each signal's score");
    assertAccessible(page, "console-trace");

    // the conversation saved as a regression case stops a publish that would change its answer
    page.getByLabel("Testens navn").fill("Ferry punch cards");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Gem samtalen som regressionstest")).click();
    page.waitForURL("**/admin/regressions");
    Locator saved = page.locator("table.cases tbody tr").filter(new Locator.FilterOptions().setHasText(
        "Ferry punch cards"));
    assertEquals(1, saved.count(), "the case is listed");
    assertTrue(saved.innerText().contains(slug), "with the answer it expects: " + saved.innerText());
    assertAccessible(page, "regressions");

    page.navigate(url("/admin/articles/" + slug));
    page.locator("section#en").getByLabel("Spørgsmålsformuleringer (én pr. linje)")
        .fill("When are the pottery classes at the community centre?");
    page.locator("section#en").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Gem og udgiv"))
        .click();
    page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Tjek før udgivelse")).waitFor();
    Locator affected = page.locator("section.case").filter(new Locator.FilterOptions().setHasText(
        "Ferry punch cards"));
    assertEquals(1, affected.count(), "the case whose answer would change is shown");
    assertTrue(affected.innerText().contains("ændres af denne udgivelse"), affected.innerText());
    assertAccessible(page, "publish-check");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Tilbage til artiklen (kladden er gemt)"))
        .click();
    JsonObject unchanged = EditorApiTest.ask(question);
    assertEquals(slug, unchanged.getJsonArray("articles").getJsonObject(0).getString("slug"),
        "nothing was published: " + unchanged.encode());

    page.navigate(url("/admin/regressions"));
    page.locator("table.cases tbody tr").filter(new Locator.FilterOptions().setHasText("Ferry punch cards"))
        .getByRole(AriaRole.BUTTON).click();
    page.getByRole(AriaRole.STATUS).first().waitFor();
    assertEquals(0, page.locator("table.cases tbody tr").filter(new Locator.FilterOptions().setHasText(
        "Ferry punch cards")).count(), "the case is deleted");
    assertTrue(errors.isEmpty(), "no script errors: " + errors);
  }

  @Test
  void should_export_the_articles_and_import_files_with_progress_and_a_report_per_file() throws Exception {
    List<String> errors = new ArrayList<>();
    Page page = loggedIn(errors);
    page.navigate(url("/admin/transfer"));
    assertAccessible(page, "transfer");
    Download download = page.waitForDownload(() -> page.getByRole(AriaRole.LINK,
        new Page.GetByRoleOptions().setName("Hent artiklerne (zip)")).click());
    ArticleFolder.Contents exported = ArticleArchive.read(Files.readAllBytes(download.path()));
    assertEquals(List.of(), exported.problems(), "the export reads back without a problem");
    assertTrue(exported.entries().stream().anyMatch(e -> e.article().content().slug().equals("about-assistant")
        && e.article().published()), "the published sample articles are in it");
    assertTrue(exported.concepts().isPresent() && !exported.concepts().get().isEmpty(), "and the concept lists");

    String slug = "test-sauna-" + Long.toString(System.nanoTime(), 36);
    ArticleContent sauna = ArticleContent.builder().slug(slug).lang(Language.EN)
        .title("Winter bathing sauna at the harbour").area("leisure")
        .questions(List.of("When is the harbour sauna for winter bathers open?"))
        .keywords(List.of("sauna", "winter bathing"))
        .answer("The harbour sauna for winter bathers is open on weekday mornings from 7 to 10.")
        .spoken("The harbour sauna is open on weekday mornings from seven to ten.")
        .sourceUrl("https://example.org/sauna").build();
    Path upload = Files.createTempDirectory("civicbot-upload");
    Path archive = upload.resolve("harbour.zip");
    Files.write(archive, ArticleArchive.write(List.of(
        new ArticleFolder.SourceFile("kb/en/" + slug + ".md",
            ArticleFile.format(sauna, true).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        new ArticleFolder.SourceFile("kb/en/broken.md", "---\nslug: broken\n".getBytes(
            java.nio.charset.StandardCharsets.UTF_8)))));
    Path notZip = upload.resolve("photo.zip");
    Files.writeString(notZip, "this is no archive");

    page.getByLabel("Filer, der skal importeres").setInputFiles(new Path[] {archive, notZip});
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Importér")).click();
    page.waitForURL("**/admin/transfer/jobs/*");
    page.locator(".progress-status[data-status=done]").waitFor();
    assertEquals("100", page.locator("progress").getAttribute("value"));
    Locator report = page.locator("table.report tbody tr");
    String created = report.filter(new Locator.FilterOptions().setHasText(slug + ".md")).innerText();
    assertTrue(created.contains("ny") && created.contains("Udgivet"), created);
    assertTrue(report.filter(new Locator.FilterOptions().setHasText("broken.md")).innerText()
        .contains("ikke importeret"));
    assertTrue(report.filter(new Locator.FilterOptions().setHasText("photo.zip")).innerText().contains("zip"),
        "an upload that is no archive is reported, not a failure");
    assertAccessible(page, "import-report");

    JsonObject reply = EditorApiTest.ask("when is the harbour sauna for winter bathers open");
    assertEquals(slug, reply.getJsonArray("articles").getJsonObject(0).getString("slug"), reply.encode());
    assertTrue(errors.isEmpty(), "no script errors: " + errors);
  }

  @Test
  void should_show_a_manager_the_same_figures_as_the_api_with_a_chart_and_a_table() {
    String ended = EditorApiTest.conversationId(EditorApiTest.ask("how do I renew my passport"));
    assertEquals(200, civicbot.http.post("/api/v1/conversations/" + ended + "/end", new JsonObject()).status());
    String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
    String period = "from=" + today + "&to=" + today;
    StaffUser managerUser = StaffServer.user("eksempel", Role.MANAGER);
    List<String> errors = new ArrayList<>();
    Page page = loggedIn(errors, managerUser, "/admin/dashboard?" + period);
    JsonObject api = StaffServer.loggedIn(managerUser).get("/api/v1/admin/stats?" + period).json();
    for (String kpi : new String[] {"conversations", "confirmed", "assumed", "escalated", "abandoned"}) {
      assertEquals(String.valueOf(api.getLong(kpi)), page.locator("[data-kpi=" + kpi + "] .value").innerText(),
          kpi + " on the page is the API's");
    }
    assertEquals(String.format(java.util.Locale.ROOT, "%.1f %%", 100 * api.getDouble("resolutionRate")),
        page.locator("[data-kpi=resolutionRate] .value").innerText());
    page.waitForFunction("() => window.Chart && Chart.getChart(document.getElementById('by-day')) !== undefined");
    assertEquals(5L, ((Number) page.evaluate("Chart.getChart(document.getElementById('by-day')).data.datasets"
        + ".length")).longValue(), "one stacked series per ending");
    page.getByText("Det samme som tabel").click();
    Locator todayRow = page.locator("table.figures tbody tr").filter(new Locator.FilterOptions().setHasText(today));
    assertTrue(todayRow.innerText().startsWith(today + "\t" + api.getLong("conversations")), todayRow.innerText());
    long inHeatmap = page.locator("table.heatmap tbody td").allInnerTexts().stream().mapToLong(Long::parseLong)
        .sum();
    assertEquals(api.getLong("conversations"), inHeatmap, "every conversation is in one hour of the week");
    assertAccessible(page, "dashboard");
    Download csv = page.waitForDownload(() -> page.getByText("Hent tallene pr. dag (CSV)").click());
    try {
      String text = Files.readString(csv.path());
      assertTrue(text.lines().anyMatch(l -> l.startsWith(today + "," + api.getLong("conversations") + ",")), text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }

    page.navigate(url("/admin/reviews?" + period));
    assertAccessible(page, "reviews");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Træk en samtale til gennemgang")).click();
    page.locator("ol.transcript").waitFor();
    assertAccessible(page, "review");
    page.getByLabel("Rigtigt: borgeren fik det, de havde brug for, eller blev med rette givet videre til en person")
        .check();
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Gem og tag den næste")).click();
    page.getByRole(AriaRole.STATUS).first().waitFor();
    assertTrue(errors.isEmpty(), "no script errors: " + errors);
  }

  @Test
  void should_hand_a_citizen_in_the_widget_to_an_agent_in_the_inbox_and_back() {
    StaffUser mette = StaffServer.named("eksempel", "Mette", Role.AGENT);
    StaffClient jonas = StaffServer.loggedIn(StaffServer.named("eksempel", "Jonas", Role.AGENT));
    List<String> errors = new ArrayList<>();

    // the citizen asks for a person in the widget
    Page citizen = newPage(errors);
    citizen.navigate(url("/en/"));
    citizen.locator(".civicbot-msg-bot").first().waitFor();
    citizen.locator(".civicbot-input").fill("I want to talk to a human");
    citizen.keyboard().press("Enter");
    citizen.locator(".civicbot-msg-bot[data-outcome=handoff]").waitFor();
    String id = (String) citizen.evaluate("sessionStorage.getItem('civicbot:eksempel:conversation')");
    assertTrue(citizen.locator(".civicbot-person").isHidden(), "no \"talk to a person\" while waiting for one");
    Locator place = citizen.locator(".civicbot-queue");
    place.waitFor();
    assertTrue(place.innerText().contains("in the queue"), "the place in the queue: " + place.innerText());

    // it waits in the agent's inbox, in another browser
    Page agent = loggedIn(errors, mette, "/admin/inbox");
    Locator row = agent.locator("tr[data-conversation='" + id + "']");
    row.waitFor();
    assertTrue(row.innerText().contains("I want to talk to a human"), row.innerText());
    assertTrue(agent.title().startsWith("("), "the title counts the waiting: " + agent.title());
    assertAccessible(agent, "inbox");
    row.getByRole(AriaRole.LINK).click();
    agent.waitForURL("**/admin/inbox/" + id);
    assertTrue(agent.locator(".summary").innerText().contains("I want to talk to a human"));
    agent.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Tag samtalen")).click();
    agent.getByLabel("Dit svar til borgeren").waitFor();
    assertEquals(409, jonas.json("POST", "/api/v1/admin/handoffs/" + id + "/claim", new JsonObject(), true)
        .status(), "a second agent cannot claim it");

    // a canned answer from the knowledge base goes into the reply box
    agent.getByLabel("Søg i artiklerne").fill("passport for adults");
    agent.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Find")).click();
    Locator answer = agent.locator("#inbox-answers li").filter(new Locator.FilterOptions()
        .setHasText("Passport for adults")).first();
    answer.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Indsæt linket: Passport for adults"))
        .click();
    assertTrue(agent.getByLabel("Dit svar til borgeren").inputValue()
        .contains("[Passport for adults](https://www.eksempel-kommune.dk/"), "the link is in the reply box");

    // the agent writes; the citizen sees who answers and what they wrote
    agent.getByLabel("Dit svar til borgeren").fill("Hello, this is Mette. How can I help?");
    Locator typing = citizen.locator(".civicbot-agent-typing");
    typing.waitFor();
    assertTrue(typing.innerText().contains("Mette is typing"), "the citizen sees the agent typing: " + typing.innerText());
    agent.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send")).click();
    Locator agentMessage = citizen.locator(".civicbot-entry-agent").filter(new Locator.FilterOptions()
        .setHasText("How can I help?"));
    agentMessage.waitFor();
    assertEquals("Mette", agentMessage.locator(".civicbot-author").innerText());
    assertTrue(place.isHidden(), "no queue once someone answers");
    assertTrue(citizen.locator(".civicbot-subtitle").innerText().contains("Mette"),
        citizen.locator(".civicbot-subtitle").innerText());
    citizen.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("handoff-citizen.png")));

    // the citizen's next message goes to the agent; the bot stays silent
    int botMessages = citizen.locator(".civicbot-msg-bot[data-outcome]").count();
    assertEquals(0, typing.count(), "the message replaced the typing notice");
    citizen.locator(".civicbot-input").fill("How do I renew my passport?");
    agent.locator("#inbox-transcript .typing").filter(new Locator.FilterOptions().setHasText("Borgeren skriver"))
        .waitFor();
    citizen.keyboard().press("Enter");
    agent.locator("#inbox-transcript").filter(new Locator.FilterOptions().setHasText("renew my passport"))
        .waitFor();
    assertEquals(botMessages, citizen.locator(".civicbot-msg-bot[data-outcome]").count(), "the bot said nothing");
    assertAccessible(agent, "inbox-conversation");

    // released, the bot answers again
    agent.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Giv tilbage til botten")).click();
    citizen.locator(".civicbot-msg-ended").filter(new Locator.FilterOptions().setHasText("has left the chat"))
        .waitFor();
    assertTrue(citizen.locator(".civicbot-person").isVisible(), "the bot answers again: a person can be asked for");
    citizen.locator(".civicbot-input").fill("When is my bin emptied?");
    citizen.keyboard().press("Enter");
    citizen.locator(".civicbot-msg-bot[data-outcome=answered]").last().waitFor();

    // handed over again and closed by the agent: the citizen is told, the conversation ended as escalated
    citizen.locator(".civicbot-input").fill("I want to talk to a human");
    citizen.keyboard().press("Enter");
    citizen.locator(".civicbot-msg-bot[data-outcome=handoff]").nth(1).waitFor();
    agent.navigate(url("/admin/inbox/" + id));
    agent.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Afslut samtalen")).click();
    citizen.locator(".civicbot-msg-ended").filter(new Locator.FilterOptions().setHasText("has closed the chat"))
        .waitFor();
    assertEquals("escalated", jonas.get("/api/v1/admin/conversations/" + id).json().getString("resolution"));
    assertTrue(errors.isEmpty(), "no script errors: " + errors);
  }

  @Test
  void should_hand_over_between_a_widget_on_one_server_process_and_an_agent_on_another() {
    StaffUser mette = StaffServer.named("eksempel", "Mette", Role.AGENT);
    List<String> errors = new ArrayList<>();
    try (ServerProcess other = ServerProcess.besides(civicbot)) {
      // the agent watches the inbox on the other process before anyone asks
      Page agent = loggedIn(errors, mette, other.port(), "/admin/inbox");
      assertEquals("", agent.locator("#inbox-alert").textContent().strip(), "no alert before a handoff");

      // the citizen asks for a person in the widget served by this process
      Page citizen = newPage(errors);
      citizen.navigate(url("/en/"));
      citizen.locator(".civicbot-msg-bot").first().waitFor();
      citizen.locator(".civicbot-input").fill("I need to speak to a person please");
      citizen.keyboard().press("Enter");
      citizen.locator(".civicbot-msg-bot[data-outcome=handoff]").waitFor();
      String id = (String) citizen.evaluate("sessionStorage.getItem('civicbot:eksempel:conversation')");

      // the other process alerts its agent: the row, the announcement for screen readers, the count in the title
      Locator row = agent.locator("tr[data-conversation='" + id + "']");
      row.waitFor();
      agent.waitForCondition(() -> !agent.locator("#inbox-alert").textContent().isBlank());
      assertTrue(agent.title().startsWith("("), "the title counts the waiting: " + agent.title());

      // claimed and answered there, the citizen here sees who answers and what they wrote (NOTIFY between them)
      row.getByRole(AriaRole.LINK).click();
      agent.waitForURL("**/admin/inbox/" + id);
      agent.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Tag samtalen")).click();
      agent.getByLabel("Dit svar til borgeren").fill("Hello from the other replica, this is Mette.");
      citizen.locator(".civicbot-agent-typing").filter(new Locator.FilterOptions().setHasText("Mette is typing"))
          .waitFor();
      agent.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send")).click();
      Locator agentMessage = citizen.locator(".civicbot-entry-agent").filter(new Locator.FilterOptions()
          .setHasText("from the other replica"));
      agentMessage.waitFor();
      assertEquals("Mette", agentMessage.locator(".civicbot-author").innerText());

      // the citizen's answer reaches the agent on the other process, and the bot stays silent
      int botMessages = citizen.locator(".civicbot-msg-bot[data-outcome]").count();
      citizen.locator(".civicbot-input").fill("Thanks, my question is about parking permits");
      citizen.keyboard().press("Enter");
      agent.locator("#inbox-transcript").filter(new Locator.FilterOptions().setHasText("parking permits"))
          .waitFor();
      assertEquals(botMessages, citizen.locator(".civicbot-msg-bot[data-outcome]").count(), "the bot said nothing");

      // closed there, the citizen here is told
      agent.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Afslut samtalen")).click();
      citizen.locator(".civicbot-msg-ended").filter(new Locator.FilterOptions().setHasText("has closed the chat"))
          .waitFor();
      assertEquals("escalated", StaffServer.loggedIn(mette).get("/api/v1/admin/conversations/" + id).json()
          .getString("resolution"));
    }
    assertTrue(errors.isEmpty(), "no script errors: " + errors);
  }

  @Test
  void should_let_a_citizen_leave_a_message_outside_opening_hours_that_an_agent_finds_in_the_inbox() {
    StaffClient admin = StaffServer.loggedIn(editor);
    assertEquals(200, admin.json("PUT", "/api/v1/admin/opening-hours?tenant=eksempel",
        new JsonObject().put("schedule", HandoffApiTest.closedToday()), true).status());
    List<String> errors = new ArrayList<>();
    try {
      Page citizen = newPage(errors);
      citizen.navigate(url("/en/"));
      citizen.locator(".civicbot-msg-bot").first().waitFor();
      citizen.locator(".civicbot-input").fill("I want to talk to a human");
      citizen.keyboard().press("Enter");
      Locator form = citizen.locator("form.civicbot-leave");
      form.waitFor();
      assertTrue(citizen.locator(".civicbot-msg-bot[data-outcome=handoff]").innerText().contains("We are back"));
      assertEquals(0, new AxeBuilder(citizen).include("#civicbot-widget").withTags(WCAG).analyze().getViolations()
          .size(), "the form passes axe");
      form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Send the message")).click();
      assertEquals("Write your message.", form.getByRole(AriaRole.ALERT).innerText());
      form.getByLabel("Your message").fill("My bin was not emptied. My CPR is 010190-1234");
      form.getByLabel("E-mail address").fill("anna@example.org");
      form.getByLabel("Phone number").fill("20 30 40 50");
      form.getByLabel("Call me back instead of writing").check();
      form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Send the message")).click();
      citizen.locator(".civicbot-msg-ended").filter(new Locator.FilterOptions().setHasText("your message is saved"))
          .waitFor();
      assertTrue(citizen.locator(".civicbot-msg-notice").innerText().contains("removed your CPR number"));
      assertFalse(citizen.locator(".civicbot-log").innerText().contains("010190"), "the screen shows what was kept");
      citizen.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("handoff-leave-message.png")));
      String id = (String) citizen.evaluate("sessionStorage.getItem('civicbot:eksempel:conversation')");

      // the agent finds the message and the way to reach the citizen in the inbox, and marks it done
      Page agent = loggedIn(errors, StaffServer.named("eksempel", "Mette", Role.AGENT), "/admin/inbox");
      Locator contact = agent.locator("tr[data-contact='" + id + "']");
      assertTrue(contact.innerText().contains("anna@example.org") && contact.innerText().contains("+4520304050"),
          contact.innerText());
      assertAccessible(agent, "inbox-contacts");
      contact.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Åbn")).click();
      agent.waitForURL("**/admin/inbox/" + id);
      assertTrue(agent.locator("#inbox-transcript").innerText().contains("My bin was not emptied"));
      agent.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Markér som kontaktet")).click();
      agent.waitForURL("**/admin/inbox");
      assertEquals(0, agent.locator("tr[data-contact='" + id + "']").count(), "handled, it leaves the list");
    } finally {
      admin.json("PUT", "/api/v1/admin/opening-hours?tenant=eksempel", new JsonObject().put("schedule", ""), true);
    }
    assertTrue(errors.isEmpty(), "no script errors: " + errors);
  }
}
