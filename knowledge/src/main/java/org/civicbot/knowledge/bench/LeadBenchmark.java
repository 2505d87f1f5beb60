package org.civicbot.knowledge.bench;

import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.embedding.TextEmbedder;
import org.civicbot.knowledge.imports.ArticleFolder;
import org.civicbot.knowledge.lead.AnswerLead;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bench-lead [TSV] [--verbose]}: how often an answer leads with the section that answers the question. Each row
 * ({@code id lang slug heading question}) names the article and the section a citizen's question is answered in; the
 * benchmark asks {@link AnswerLead} for the lead of that article and counts the rows whose chosen section is the
 * named one, with and without the embedding model, and against leading with the first section always ({@code --verbose}
 * lists the misses of the development half only). Odd row
 * numbers are the development half (what the weights may be tuned on), even ones the held-out half.
 */
public final class LeadBenchmark {

  record Row(String id, Language lang, String slug, String heading, String question) {
  }

  public static void main(String[] args) throws IOException {
    List<String> positional = List.of(args).stream().filter(a -> !a.startsWith("--")).toList();
    boolean verbose = List.of(args).contains("--verbose");
    Path file = Path.of(positional.isEmpty() ? "eval/sections/heldout.tsv" : positional.get(0));
    run(file, ArticleFolder.readSample(), System.out, verbose);
  }

  static void run(Path file, ArticleFolder.Contents kb, PrintStream out, boolean verbose) throws IOException {
    Map<String, ArticleContent> articles = new HashMap<>();
    kb.entries().forEach(e -> articles.put(e.article().content().lang().code() + "/" + e.article().content().slug(),
        e.article().content()));
    List<Row> rows = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t");
      if (f.length == 5) {
        rows.add(new Row(f[0], Language.fromCode(f[1]), f[2], f[3], f[4]));
      }
    }
    Map<String, AnswerLead> leads = new java.util.LinkedHashMap<>();
    leads.put("lexical and kind of answer", new AnswerLead(Optional.empty()));
    leads.put("with the embedding model (en)", new AnswerLead(Optional.of(TextEmbedder.bundled())));
    out.printf("Answer leads: %d questions naming the section that answers them (%s)%n", rows.size(), file);
    out.printf(Locale.ROOT, "%-32s %-5s %14s %14s%n", "", "lang", "dev half", "held-out half");
    printRow(out, "first section always", rows, articles, null, verbose);
    for (Map.Entry<String, AnswerLead> lead : leads.entrySet()) {
      printRow(out, lead.getKey(), rows, articles, lead.getValue(), verbose);
    }
  }

  private static void printRow(PrintStream out, String name, List<Row> rows, Map<String, ArticleContent> articles,
                               AnswerLead lead, boolean verbose) {
    for (Language lang : Language.values()) {
      int[] right = new int[2];
      int[] all = new int[2];
      for (int i = 0; i < rows.size(); i++) {
        Row row = rows.get(i);
        if (row.lang() != lang) {
          continue;
        }
        ArticleContent article = articles.get(lang.code() + "/" + row.slug());
        if (article == null) {
          out.println("  no article " + row.slug() + " in " + lang.code());
          continue;
        }
        int half = i % 2 == 0 ? 0 : 1;
        String chosen = lead == null ? AnswerLead.split(article.answer()).sections().get(0).heading()
            : lead.lead(lang, row.question(), article.answer()).map(AnswerLead.Lead::heading).orElse("(whole)");
        all[half]++;
        if (chosen.equals(row.heading())) {
          right[half]++;
        } else if (verbose && lead != null && half == 0) {
          out.printf("    miss %s %s: \"%s\" -> %s (expected %s)%n", row.id(), row.slug(), row.question(), chosen,
              row.heading());
        }
      }
      out.printf(Locale.ROOT, "%-32s %-5s %14s %14s%n", name, lang.code(), share(right[0], all[0]),
          share(right[1], all[1]));
    }
  }

  private static String share(int right, int all) {
    return all == 0 ? "-" : String.format(Locale.ROOT, "%.0f %% (%d/%d)", 100.0 * right / all, right, all);
  }
}
