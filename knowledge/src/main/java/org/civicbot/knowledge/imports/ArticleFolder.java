package org.civicbot.knowledge.imports;

import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Concept;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads every {@code *.md} article file below a folder. A file that cannot be read or parsed becomes a
 * {@link Problem} naming the file and what is wrong; two files with the same slug and language are both refused.
 * Blocking.
 */
public final class ArticleFolder {

  /** A file that was read and parsed. */
  public record Entry(String file, ArticleFile article) {
  }

  /** A file that was not taken, and why. */
  public record Problem(String file, String message) {
    @Override
    public String toString() {
      return file + ": " + message;
    }
  }

  /** The outcome of reading a folder: what can be imported and what cannot. */
  /** The articles and problems of a folder; {@code concepts} is empty when the folder has no concept files. */
  public record Contents(List<Entry> entries, List<Problem> problems, Optional<List<Concept>> concepts) {
    public Contents {
      entries = List.copyOf(entries);
      problems = List.copyOf(problems);
      concepts = concepts.map(List::copyOf);
    }

    public Contents(List<Entry> entries, List<Problem> problems) {
      this(entries, problems, Optional.empty());
    }
  }

  /** The sample knowledge base of the fictional "Eksempel Kommune", shipped inside the jar. */
  public static final String SAMPLE_RESOURCE = "/kb/eksempel";

  private ArticleFolder() {
  }

  public static Contents read(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("not a folder: " + folder);
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(p -> p.getFileName() != null && p.getFileName().toString().endsWith(".md"))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list " + folder, e);
    }
    List<Problem> problems = new ArrayList<>();
    Map<String, Entry> byKey = new LinkedHashMap<>();
    Map<String, List<String>> duplicates = new LinkedHashMap<>();
    for (Path file : files) {
      String name = folder.relativize(file).toString();
      ArticleFile article;
      try {
        article = ArticleFile.parse(readText(file));
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(name, e.getMessage()));
        continue;
      } catch (IOException e) {
        problems.add(new Problem(name, "cannot be read: " + e.getMessage()));
        continue;
      }
      ArticleContent c = article.content();
      String key = c.slug() + " (" + c.lang().code() + ")";
      if (byKey.containsKey(key) || duplicates.containsKey(key)) {
        duplicates.computeIfAbsent(key, k -> new ArrayList<>(List.of(byKey.remove(k).file()))).add(name);
      } else {
        byKey.put(key, new Entry(name, article));
      }
    }
    duplicates.forEach((key, names) -> names.forEach(name -> problems.add(new Problem(name,
        "duplicate article " + key + ": also in " + names.stream().filter(n -> !n.equals(name)).toList()
            + "; none of these files was imported"))));
    return new Contents(new ArrayList<>(byKey.values()), problems, concepts(folder, problems));
  }

  /**
   * The concept lists of {@code folder}: {@code concepts.yaml} and every {@code *.yaml} in {@code concepts/}, in name
   * order. A file with a problem is reported and the concepts are left as they are (empty result).
   */
  private static Optional<List<Concept>> concepts(Path folder, List<Problem> problems) {
    List<Path> files = new ArrayList<>();
    Path single = folder.resolve("concepts.yaml");
    if (Files.isRegularFile(single)) {
      files.add(single);
    }
    Path dir = folder.resolve("concepts");
    if (Files.isDirectory(dir)) {
      try (Stream<Path> list = Files.list(dir)) {
        list.filter(p -> p.getFileName().toString().endsWith(".yaml")).filter(Files::isRegularFile).sorted()
            .forEach(files::add);
      } catch (IOException e) {
        problems.add(new Problem("concepts/", "cannot be listed: " + e.getMessage()));
        return Optional.empty();
      }
    }
    if (files.isEmpty()) {
      return Optional.empty();
    }
    List<Concept> concepts = new ArrayList<>();
    for (Path file : files) {
      String name = folder.relativize(file).toString();
      try {
        concepts.addAll(ConceptFile.parse(readText(file)));
      } catch (IllegalArgumentException | IOException e) {
        problems.add(new Problem(name, e.getMessage() + "; the concept lists were not changed"));
        return Optional.empty();
      }
    }
    return Optional.of(concepts);
  }

  /** Reads the sample knowledge base from the classpath (a folder in development, a jar when packaged). */
  public static Contents readSample() {
    URL url = ArticleFolder.class.getResource(SAMPLE_RESOURCE);
    if (url == null) {
      throw new IllegalStateException("the sample knowledge base " + SAMPLE_RESOURCE + " is not on the classpath");
    }
    try {
      URI uri = url.toURI();
      if (!"jar".equals(uri.getScheme())) {
        return read(Path.of(uri));
      }
      try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
        return read(jar.getPath(SAMPLE_RESOURCE));
      } catch (FileSystemAlreadyExistsException e) {
        return read(FileSystems.getFileSystem(uri).getPath(SAMPLE_RESOURCE));
      }
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot read the sample knowledge base from " + url, e);
    }
  }

  private static String readText(Path file) throws IOException {
    if (Files.size(file) > ArticleFile.MAX_FILE_CHARS * 4L) {
      throw new IllegalArgumentException("file is " + Files.size(file) + " bytes; far over the limit of "
          + ArticleFile.MAX_FILE_CHARS + " characters");
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("is not UTF-8 text");
    }
  }
}
