package org.civicbot.deploy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code bench-load}: many citizens at once on the chat API, to tell how many turns a second the server answers and
 * how long they wait, an open loop at a rate (the default) or a closed loop at a concurrency; after a warm-up, with
 * the server's memory when it runs as this benchmark's child (see {@link ChildServer}). The load runs on one event
 * loop, so the generator needs little CPU and no locks. A benchmark, not a test.
 */
public final class LoadBenchmark {
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

  private final LoadOptions options;
  private final CitizenScripts scripts;
  private final Optional<ProcessProbe> server;
  /** The phase whose stats a request sent now goes to; read and replaced on the event loop only. */
  private LoadStats current;
  /** CPU time at the start of the measured phase; event loop only. */
  private CpuTime measuredFrom;

  private LoadBenchmark(LoadOptions options, CitizenScripts scripts, Optional<ProcessProbe> server) {
    this.options = options;
    this.scripts = scripts;
    this.server = server;
  }

  public static void main(String[] args) throws Exception {
    LoadOptions options;
    try {
      options = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench-load: " + e.getMessage());
      System.exit(2);
      return;
    }
    CitizenScripts scripts = CitizenScripts.read(options.questions(), options.conversations());
    if (options.url().isPresent()) {
      new LoadBenchmark(options, scripts, Optional.empty()).run(options.url().get());
      return;
    }
    try (ChildServer child = ChildServer.start(options.heap(), options.jfr());
         ProcessProbe probe = new ProcessProbe(child.pid())) {
      LoadStats measured = new LoadBenchmark(options, scripts, Optional.of(probe)).run(child.url());
      if (!child.alive()) {
        System.out.println("  WARNING: the server is no longer running");
        child.keepLog();
        return;
      }
      System.out.printf(Locale.ROOT, "  %-20s RSS at most %d MB during the load; heap after a full GC %s%n",
          "server memory", probe.maxRssKb() / 1024, probe.heapAfterFullGc());
      if (measured.anyErrors()) {
        child.keepLog();
      }
    }
    options.jfr().ifPresent(f -> System.out.printf(Locale.ROOT, "  %-20s %s%n", "flight recording", f));
  }

  /** Runs the warm-up and the measured seconds against {@code url}, prints the report and returns its stats. */
  private LoadStats run(String url) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      ChatClient client = new ChatClient(vertx, url);
      Citizens citizens = new Citizens(client, scripts);
      Load load = options.openLoop()
          ? new OpenLoop(vertx, citizens, () -> current, options.rate())
          : new ClosedLoop(citizens, () -> current, options.concurrency().orElseThrow());
      System.out.println(describe(url));
      server.ifPresent(probe -> probe.rssKb().ifPresent(kb -> System.out.printf(Locale.ROOT,
          "  the server's RSS before the load: %d MB%n", kb / 1024)));
      Promise<LoadStats> done = Promise.promise();
      Context loop = vertx.getOrCreateContext();
      loop.runOnContext(v -> drive(vertx, load, done));
      LoadStats measured = done.future().toCompletionStage().toCompletableFuture().join();
      client.close().toCompletionStage().toCompletableFuture().join();
      return measured;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  /** On the event loop: warm-up, the measured phase, then waits for the answers in flight and prints the report. */
  private void drive(Vertx vertx, Load load, Promise<LoadStats> done) {
    long started = System.nanoTime();
    current = new LoadStats(options.warmupSeconds() > 0 ? "warm-up" : "measured", started);
    measuredFrom = cpuNow();
    long progress = vertx.setPeriodic(PROGRESS_EVERY.toMillis(), id -> System.out.println(current.progressLine()));
    load.start();
    if (options.warmupSeconds() > 0) {
      vertx.setTimer(options.warmupSeconds() * 1000L, id -> {
        long now = System.nanoTime();
        current.close(now);
        current = new LoadStats("measured", now);
        measuredFrom = cpuNow();
      });
    }
    vertx.setTimer((options.warmupSeconds() + options.seconds()) * 1000L, id -> {
      LoadStats measured = current;
      measured.close(System.nanoTime());
      CpuTime used = cpuNow().since(measuredFrom);
      load.stop().onComplete(drained -> {
        vertx.cancelTimer(progress);
        System.out.printf(Locale.ROOT, "Result (%d s measured after %d s warm-up; answers in flight waited for):%n",
            options.seconds(), options.warmupSeconds());
        measured.report(options.openLoop()).forEach(System.out::println);
        System.out.println(used.describe(measured.seconds()));
        done.complete(measured);
      });
    });
  }

  private String describe(String url) {
    String shape = options.openLoop()
        ? String.format(Locale.ROOT, "open loop, Poisson arrivals at %.1f messages/s", options.rate())
        : String.format(Locale.ROOT, "closed loop, %d citizens each waiting for its answers",
            options.concurrency().orElseThrow());
    return String.format(Locale.ROOT, "bench-load: %s for %d s after %d s warm-up, against %s%n"
            + "  citizens: %s, half of each, seed %d; client timeout %d s%n"
            + "  machine: %d cores, load average %s before the run", shape, options.seconds(),
        options.warmupSeconds(), url, scripts, CitizenScripts.SEED, ChatClient.TIMEOUT_MS / 1000,
        Runtime.getRuntime().availableProcessors(), loadAverage());
  }

  /** The last minute's load average: other work on a small machine takes cores from the server under test. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private CpuTime cpuNow() {
    return new CpuTime(server.map(ProcessProbe::cpu),
        ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO));
  }

  /**
   * CPU time of the server (when it is this benchmark's child) and of this generator: on a small machine they share
   * the cores, and a generator that takes much of them lowers what the server can do.
   */
  private record CpuTime(Optional<Duration> server, Duration generator) {

    CpuTime since(CpuTime start) {
      return new CpuTime(server.map(s -> s.minus(start.server().orElseThrow())), generator.minus(start.generator()));
    }

    String describe(double seconds) {
      return String.format(Locale.ROOT, "  %-20s %sload generator %.2f cores busy of %d", "CPU",
          server.map(s -> String.format(Locale.ROOT, "server with its PostgreSQL %.2f, ", s.toMillis() / 1e3 / seconds))
              .orElse(""),
          generator.toMillis() / 1e3 / seconds, Runtime.getRuntime().availableProcessors());
    }
  }
}
