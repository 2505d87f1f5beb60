package org.civicbot.admin.web;

/** A diff line as HTML: the text escaped, then the generator's markers turned into {@code <del>} and {@code <ins>}. */
final class DiffHtml {

  private DiffHtml() {
  }

  static String of(String line) {
    if (line == null) {
      return "";
    }
    String escaped = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
        .replace("'", "&#39;");
    return escaped.replace("\u0001-", "<del>").replace("-\u0001", "</del>")
        .replace("\u0001+", "<ins>").replace("+\u0001", "</ins>");
  }
}
