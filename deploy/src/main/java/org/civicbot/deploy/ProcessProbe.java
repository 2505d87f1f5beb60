package org.civicbot.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the server's process uses while the load runs: its resident memory sampled each second from
 * {@code /proc/PID/status} (the peak is what a machine must have), its CPU time with its database's, and its Java
 * heap after a full collection at the end, asked of the JVM with {@code jcmd} (what the load left live, without the
 * garbage).
 */
final class ProcessProbe implements AutoCloseable {
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
  /** {@code GC.heap_info}'s first line, e.g. G1's {@code garbage-first heap   total 262144K, used 104857K}. */
  private static final Pattern HEAP = Pattern.compile("total (\\d+)K, used (\\d+)K");

  private final long pid;
  private final AtomicLong maxRssKb = new AtomicLong();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "rss-sampler");
    t.setDaemon(true);
    return t;
  });

  ProcessProbe(long pid) {
    this.pid = pid;
    sampler.scheduleAtFixedRate(() -> rssKb().ifPresent(kb -> maxRssKb.accumulateAndGet(kb, Math::max)), 0, 1,
        TimeUnit.SECONDS);
  }

  /** The resident memory now, empty when the process is gone. */
  Optional<Long> rssKb() {
    try {
      Matcher m = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
      return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  long maxRssKb() {
    return maxRssKb.get();
  }

  /**
   * The CPU time so far (user and system) of the process and the processes it started, which for CivicBot are its
   * embedded PostgreSQL's: the database's work is the server's work.
   */
  Duration cpu() {
    return ProcessHandle.of(pid).stream().flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
        .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
        .reduce(Duration.ZERO, Duration::plus);
  }

  /** {@code used X MB of Y MB} after a full GC, or why it could not be told. */
  String heapAfterFullGc() {
    Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
    try {
      jcmd(jcmd, "GC.run");
      Matcher m = HEAP.matcher(jcmd(jcmd, "GC.heap_info"));
      if (!m.find()) {
        return "not told (GC.heap_info had no 'total ...K, used ...K')";
      }
      return String.format(Locale.ROOT, "used %d MB of %d MB committed", Long.parseLong(m.group(2)) / 1024,
          Long.parseLong(m.group(1)) / 1024);
    } catch (IOException e) {
      return "not told (" + jcmd + ": " + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "not told (interrupted)";
    }
  }

  private String jcmd(Path jcmd, String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(command + " failed: " + out.strip());
    }
    return out;
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
