package org.civicbot.deploy;

import io.vertx.core.Vertx;
import org.civicbot.knowledge.KnowledgeBase;
import org.civicbot.knowledge.bench.RetrievalBenchmark;
import org.civicbot.knowledge.db.Database;
import org.civicbot.knowledge.embedding.TextEmbedder;
import org.civicbot.knowledge.imports.ArticleFolder;
import org.civicbot.knowledge.imports.KnowledgeImporter;
import org.civicbot.knowledge.retrieval.RetrievalSettings;
import org.civicbot.knowledge.store.ArticleStore;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar civicbot.jar [serve]} runs CivicBot; {@code import DIR [--tenant T]} imports article files;
 * {@code bench-retrieval [QUESTIONS.tsv]} prints retrieval quality figures.
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "serve" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (command) {
      case "serve" -> serve();
      case "import" -> System.exit(importFolder(rest));
      case "user" -> System.exit(UserCommand.run(config(), rest, System.out, System.err));
      case "bench-retrieval" -> RetrievalBenchmark.main(rest);
      case "bench-lead" -> org.civicbot.knowledge.bench.LeadBenchmark.main(rest);
      case "bench-chat" -> ChatBenchmark.main(rest);
      case "bench-load" -> LoadBenchmark.main(rest);
      case "bench-phone" -> PhoneBenchmark.main(rest);
      case "bench-whisper" -> WhisperBenchmark.main(rest);
      case "bench-redaction" -> RedactionBenchmark.main(rest);
      case "bench-gaps" -> GapBenchmark.main(rest);
      case "bench-handoff" -> HandoffBenchmark.main(rest);
      case "bench-stats" -> StatsBenchmark.main(rest, Main::config);
      case "help", "--help", "-h" -> usage();
      default -> {
        System.err.println("Unknown command '" + command + "'.");
        usage();
        System.exit(2);
      }
    }
  }

  private static void usage() {
    System.out.println("""
        Usage: java -jar civicbot.jar [command]
          serve                          run CivicBot (the default)
          import DIR [--tenant TENANT]   import or update article files (*.md) from DIR
          user add --tenant T --role R[,R...] --email E [--name N]
                                         a staff account; prints a one-time password as the last line
          user token|password|revoke-tokens|disable|enable --email E
                                         a personal API token (last line), a new password, revoke or block
          bench-stats [--conversations N] [--url URL]   time the statistics query over N generated conversations
          bench-stats --sample [--conversations N]      the same into this installation's sample municipality
                                         (CIVICBOT_DATA_DIR or CIVICBOT_DATABASE_URL), for the dashboard
          bench-gaps [TSV...]            how well content gaps group questions by topic, per similarity threshold
          bench-handoff [--messages N] [--conversations C] [--rate R]  an agent's send to the citizen's screen,
                                         on one replica and across two on one PostgreSQL
          bench-lead [TSV] [--verbose]   how often an answer leads with the section that answers the question
                                         (default eval/sections/heldout.tsv)
          bench-retrieval [TSV] [DIR]    print retrieval quality on a question set (default ../shared/eval/dev-questions.tsv)
          bench-chat [TSV] [--url URL]   the question set end to end through the chat API: outcomes and latency
          bench-load [--rate R | --concurrency C] [--seconds S] [--warmup S] [--url URL] [--heap H] [--jfr FILE]
                                         many citizens at once on the chat API: throughput, latency, errors, memory
          bench-phone [TSV] [--part recognition|calls|capacity] [--max-calls N]
                                         the English questions spoken through the phone line (needs espeak-ng, sox)
          bench-redaction [TSV] [--verbose]  personal data removed and harmless numbers kept (default
                                         eval/redaction/heldout.tsv)
          bench-whisper [--sizes tiny,base,small] [--utterances N] [--model FILE]
                                         whisper.cpp's load time, latency and queueing on generated models
        Configuration comes from the environment: CIVICBOT_PORT, CIVICBOT_DATA_DIR, CIVICBOT_DATABASE_URL,
        CIVICBOT_ADMIN_TOKEN, CIVICBOT_TENANT, CIVICBOT_EMBEDDING_MODEL, CIVICBOT_EMBEDDING_TOKENIZER, ...""");
  }

  private static Config config() {
    try {
      return Config.fromEnvironment(System.getenv());
    } catch (Config.ConfigException e) {
      System.err.println("CivicBot cannot start: " + e.getMessage());
      System.exit(2);
      throw e;
    }
  }

  private static void serve() throws InterruptedException {
    Config config = config();
    Vertx vertx = Vertx.vertx();
    CivicBot bot;
    try {
      bot = CivicBot.start(config, vertx).toCompletionStage().toCompletableFuture().join();
    } catch (Exception e) {
      System.err.println("CivicBot cannot start: " + rootMessage(e));
      vertx.close();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("Shutting down CivicBot...");
      try {
        bot.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("Shutdown was not clean: " + rootMessage(e));
      }
      stopped.countDown();
    }, "shutdown"));
    bot.whenReady().onFailure(e -> {
      System.err.println("CivicBot cannot start: " + rootMessage(e));
      // Not on the event loop: the shutdown hook needs it to close the server.
      new Thread(() -> System.exit(1), "exit").start();
    });
  }

  private static int importFolder(String[] args) {
    if (args.length == 0) {
      System.err.println("Usage: java -jar civicbot.jar import DIR [--tenant TENANT]");
      return 2;
    }
    Config config = config();
    String tenant = config.defaultTenant();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--tenant") && i + 1 < args.length) {
        tenant = args[++i];
      } else {
        System.err.println("Unknown option '" + args[i] + "'");
        return 2;
      }
    }
    Path dir = Path.of(args[0]);
    ArticleFolder.Contents contents;
    try {
      contents = ArticleFolder.read(dir);
    } catch (IllegalArgumentException e) {
      System.err.println("Cannot import: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try (Database db = Database.open(vertx, config.databaseUrl(), config.dataDir(), 4);
         KnowledgeBase kb = KnowledgeBase.create(vertx, ArticleStore.create(db.pool()),
             config.dataDir().resolve("index"), TextEmbedder.bundled(), RetrievalSettings.DEFAULTS,
             Clock.systemDefaultZone())) {
      KnowledgeImporter.Report report = new KnowledgeImporter(kb)
          .importContents(tenant, contents, "import", KnowledgeImporter.logging(System.out::println))
          .toCompletionStage().toCompletableFuture().join();
      report.problems().forEach(p -> System.err.println("Not imported: " + p));
      System.out.println("Tenant '" + tenant + "': " + report);
      return report.problems().isEmpty() ? 0 : 1;
    } catch (Exception e) {
      System.err.println("Import failed: " + rootMessage(e));
      return 1;
    } finally {
      vertx.close();
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
