package org.civicbot.knowledge.imports;

import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Concept;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.NotCovered;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The not-covered topics of an article file and the concept list files, read and refused. */
class NotCoveredAndConceptsFileTest {

  private static final String WITH_NOT_COVERED = ArticleFileTest.GOOD.replace("valid_from: 2026-01-01\n", """
      valid_from: 2026-01-01
      not_covered:
        - topic: "Leje af container"
          refer: "En container lejer du hos et privat vognmandsfirma."
          questions:
            - "kan jeg leje en container til haveaffald"
            - "hvad koster en affaldscontainer"
      """);

  @Test
  void should_read_and_write_not_covered_topics() {
    ArticleContent c = ArticleFile.parse(WITH_NOT_COVERED).content();

    assertEquals(List.of(new NotCovered("Leje af container", "En container lejer du hos et privat vognmandsfirma.",
        List.of("kan jeg leje en container til haveaffald", "hvad koster en affaldscontainer"))), c.notCovered());
    assertEquals(c, ArticleFile.parse(ArticleFile.format(c, true)).content());
  }

  @Test
  void should_refuse_a_not_covered_topic_without_where_to_go() {
    String bad = WITH_NOT_COVERED.replace("    refer: \"En container lejer du hos et privat vognmandsfirma.\"\n", "");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArticleFile.parse(bad));
    assertTrue(e.getMessage().contains("refer"), e.getMessage());
  }

  @Test
  void should_refuse_an_unknown_key_in_a_not_covered_topic() {
    String bad = WITH_NOT_COVERED.replace("    refer:", "    where: \"x\"\n    refer:");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArticleFile.parse(bad));
    assertTrue(e.getMessage().contains("where"), e.getMessage());
  }

  @Test
  void should_read_concept_groups_per_language() {
    List<Concept> concepts = ConceptFile.parse("""
        - area: "roads"
          da: ["lygtepæl", "gadelampe"]
          en: ["street light", "lamp post"]
        - area: "waste"
          da: ["skraldespand", "affaldsspand"]
        """);

    assertEquals(2, concepts.size());
    assertEquals(List.of("street light", "lamp post"), concepts.get(0).terms(Language.EN));
    assertEquals(List.of(), concepts.get(1).terms(Language.EN));
  }

  @Test
  void should_refuse_a_concept_file_that_is_not_a_list_of_groups() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ConceptFile.parse("roads: [a, b]"))
        .getMessage().contains("list of concepts"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ConceptFile.parse("- area: x\n  fr: [a]"))
        .getMessage().contains("'fr'"));
  }

  @Test
  void should_read_the_sample_concept_lists() {
    ArticleFolder.Contents sample = ArticleFolder.readSample();

    assertTrue(sample.problems().isEmpty(), sample.problems().toString());
    assertTrue(sample.concepts().orElseThrow().size() > 50, "the sample knowledge base ships concept lists");
    assertTrue(sample.entries().stream().allMatch(e -> e.article().content().questions().size() >= 20),
        "every sample article has at least 20 phrasings");
  }
}
