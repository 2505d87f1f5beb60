package org.civicbot.knowledge.imports;

import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Language;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArticleFileTest {

  static final String GOOD = """
      ---
      slug: "bulky-waste"
      lang: "da"
      title: "Storskrald"
      area: "waste"
      source_url: "https://www.eksempel-kommune.dk/borger/affald/storskrald"
      status: "published"
      questions:
        - "Hvordan bestiller jeg storskrald?"
        - "afhentning af gammel sofa"
      keywords:
        - "storskrald"
      spoken: "Du bestiller storskrald på hjemmesiden."
      valid_from: 2026-01-01
      ---
      ## Storskrald
      Bestil **afhentning** på hjemmesiden.
      """;

  @Test
  void should_read_front_matter_and_markdown_answer() {
    ArticleFile file = ArticleFile.parse(GOOD);

    ArticleContent c = file.content();
    assertTrue(file.published());
    assertEquals("bulky-waste", c.slug());
    assertEquals(Language.DA, c.lang());
    assertEquals("Storskrald", c.title());
    assertEquals(List.of("Hvordan bestiller jeg storskrald?", "afhentning af gammel sofa"), c.questions());
    assertEquals(List.of("storskrald"), c.keywords());
    assertEquals(LocalDate.of(2026, 1, 1), c.validFrom());
    assertEquals("## Storskrald\nBestil **afhentning** på hjemmesiden.", c.answer());
  }

  @Test
  void should_read_back_what_it_writes() {
    ArticleFile original = ArticleFile.parse(GOOD);
    ArticleContent withQuotes = original.content().toBuilder()
        .title("Storskrald: \"sofaer\" og # andet").build();

    ArticleFile back = ArticleFile.parse(ArticleFile.format(withQuotes, false));

    assertEquals(withQuotes, back.content());
    assertFalse(back.published());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "no front matter|## Just markdown|must start with a '---' line",
      "not closed|---\\nslug: \"x\"\\n|not closed",
      "bad yaml|---\\nslug: [unclosed\\n---\\nbody|not valid YAML",
      "missing slug|---\\nlang: \"da\"\\ntitle: \"T\"\\n---\\nbody|missing 'slug'",
      "bad language|---\\nslug: \"x\"\\nlang: \"de\"\\n---\\nbody|unknown language 'de'",
      "unknown key|---\\nslug: \"x\"\\nsecret: 1\\n---\\nbody|unknown key(s) [secret]",
      "bad slug|---\\nslug: \"Hello World\"\\nlang: \"da\"\\ntitle: \"T\"\\narea: \"a\"\\nsource_url: \"https://x.dk\"\\n"
          + "questions: [\"q\"]\\nspoken: \"s\"\\n---\\nbody|slug must be lowercase",
      "empty answer|---\\nslug: \"x\"\\nlang: \"da\"\\ntitle: \"T\"\\narea: \"a\"\\nsource_url: \"https://x.dk\"\\n"
          + "questions: [\"q\"]\\nspoken: \"s\"\\n---\\n   |answer must not be empty",
      "bad status|---\\nslug: \"x\"\\nstatus: \"live\"\\n---\\nbody|status must be 'published' or 'draft'",
      "bad date|---\\nslug: \"x\"\\nlang: \"da\"\\ntitle: \"T\"\\narea: \"a\"\\nsource_url: \"https://x.dk\"\\n"
          + "questions: [\"q\"]\\nspoken: \"s\"\\nvalid_from: \"soon\"\\n---\\nbody|'valid_from' must be a date",
  })
  void should_say_what_is_wrong_with_a_malformed_file(String name, String text, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ArticleFile.parse(text.replace("\\n", "\n")));
    assertTrue(e.getMessage().contains(expected), name + ": " + e.getMessage());
  }
}
