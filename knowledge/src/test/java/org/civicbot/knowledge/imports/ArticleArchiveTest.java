package org.civicbot.knowledge.imports;

import org.civicbot.knowledge.Concept;
import org.civicbot.knowledge.Language;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.civicbot.knowledge.testing.Articles.article;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArticleArchiveTest {

  private static ArticleFolder.SourceFile file(String name, String text) {
    return new ArticleFolder.SourceFile(name, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void should_read_back_what_it_wrote_articles_and_concept_lists_alike() {
    List<Concept> concepts = List.of(new Concept("roads", Map.of(Language.DA, List.of("lygtepæl", "gadelampe"),
        Language.EN, List.of("street light"))), new Concept("waste", Map.of(Language.DA, List.of("skrald"))));
    ArticleFile parking = new ArticleFile(article("parking", Language.EN, "Resident parking permit",
        "how do I get a parking permit"), true);
    byte[] zip = ArticleArchive.write(List.of(
        file("kb/en/parking.md", ArticleFile.format(parking.content(), true)),
        file("kb/concepts.yaml", ConceptFile.format(concepts))));

    ArticleFolder.Contents read = ArticleArchive.read(zip);
    assertEquals(List.of(), read.problems());
    assertEquals(1, read.entries().size());
    assertEquals("en/parking.md", read.entries().get(0).file(), "the folder around everything is taken off");
    assertEquals(parking.content(), read.entries().get(0).article().content());
    assertTrue(read.entries().get(0).article().published());
    assertEquals(concepts, read.concepts().orElseThrow());
  }

  @Test
  void should_refuse_hostile_and_broken_archives_with_a_reason() {
    String good = ArticleFile.format(article("library", Language.EN, "Library hours", "when is the library open"),
        true);
    ArticleFolder.Contents read = ArticleArchive.read(ArticleArchive.write(List.of(file("en/library.md", good),
        file("../../etc/evil.md", good), file("en/big.md", "x".repeat((int) ArticleFolder.MAX_FILE_BYTES + 10)),
        file("notes.txt", "not an article"), file("__MACOSX/._library.md", "fork"))));
    assertEquals(1, read.entries().size(), "only the good file is taken");
    assertEquals(List.of("../../etc/evil.md", "en/big.md", "notes.txt"),
        read.problems().stream().map(ArticleFolder.Problem::file).sorted().toList());
    assertTrue(read.problems().stream().anyMatch(p -> p.message().contains("outside the archive")));

    IllegalArgumentException notZip = assertThrows(IllegalArgumentException.class,
        () -> ArticleArchive.read("just some text".getBytes(StandardCharsets.UTF_8)));
    assertTrue(notZip.getMessage().contains("zip"), notZip.getMessage());
  }
}
