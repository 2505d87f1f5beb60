package org.civicbot.bot.render;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

/**
 * Turns an answer's Markdown into HTML that is safe to insert into any page: commonmark-java renders it with raw
 * HTML escaped and unsafe link schemes dropped, and the OWASP Java HTML Sanitizer then keeps only formatting
 * elements and http(s)/mailto/tel links. No script from content or citizens can survive both.
 */
public final class MarkdownRenderer {

  private static final PolicyFactory POLICY = new HtmlPolicyBuilder()
      .allowElements("p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "code", "pre", "blockquote",
          "h2", "h3", "h4", "hr")
      .allowElements((name, attrs) -> "h3", "h1")
      .allowElements("a")
      .allowUrlProtocols("https", "http", "mailto", "tel")
      .allowAttributes("href").onElements("a")
      .requireRelsOnLinks("noopener", "noreferrer")
      .allowAttributes("target").matching(false, "_blank").onElements("a")
      .toFactory();

  private final Parser parser = Parser.builder().build();
  private final HtmlRenderer renderer = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();

  public String toSafeHtml(String markdown) {
    String html = renderer.render(parser.parse(markdown));
    return POLICY.sanitize(html.replace("<a href=", "<a target=\"_blank\" href="));
  }

  /** Plain text as HTML: escaped, line breaks kept. */
  public String plainToHtml(String text) {
    return toSafeHtml(text);
  }
}
