package org.civicbot.deploy.tools;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Not a test: logs in to a running CivicBot as a staff user in headless Chromium and saves a full-page screenshot of a
 * staff page, for the documentation (the dashboard of the sample municipality after {@code bench-stats --sample}).
 * Arguments: base URL, e-mail, password, page path, output PNG. Run with the deploy module's test classpath.
 */
public final class DashboardScreenshot {
  private DashboardScreenshot() {
  }

  public static void main(String[] args) {
    if (args.length != 5) {
      throw new IllegalArgumentException("use: BASE_URL EMAIL PASSWORD PATH OUT.png");
    }
    try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
      Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
          .setExecutablePath(Path.of(System.getProperty("civicbot.chromium", "/usr/bin/chromium")))
          .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu")));
      Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900).setLocale("da-DK"))
          .newPage();
      page.navigate(args[0] + args[3]);
      page.getByLabel("E-mailadresse").fill(args[1]);
      page.getByLabel("Adgangskode").fill(args[2]);
      page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log ind")).click();
      page.waitForURL("**" + args[3].replaceAll("\\?.*", "") + "**");
      page.waitForLoadState();
      page.waitForTimeout(1_500); // the charts animate in
      page.screenshot(new Page.ScreenshotOptions().setPath(Path.of(args[4])).setFullPage(true));
      System.out.println("saved " + args[4] + " of " + page.url() + " (" + page.title() + ")");
    }
  }
}
