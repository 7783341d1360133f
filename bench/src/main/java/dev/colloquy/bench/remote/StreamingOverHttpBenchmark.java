package dev.colloquy.bench.remote;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.model.remote.OpenAiChatModel;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Streaming a long reply over real loopback HTTP: Colloquy's {@link OpenAiChatModel} against a
 * minimal hand-written SSE reader ({@link MinimalSseReader}) on the same JDK HttpClient and the
 * same JSON library, and, as the floor, the HttpClient reading the same body without parsing it.
 *
 * <p>The server ({@link LoopbackSseServer}) runs in a child JVM, so its allocation and garbage
 * collections count against neither client, and sends a prebuilt stream: by default 20,000 chunks
 * of 20 characters, one HTTP chunk per event. Each contender's handler does the same: count the
 * characters and append them to a {@code StringBuilder}.
 *
 * <p>Allocation is {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes} summed over
 * every live thread of this JVM (the caller, the HttpClient's selector and its executor threads),
 * before and after each stream; a thread that ends inside a measurement would lose its count, so
 * the run reports any such thread. Time is wall-clock per stream, and CPU time summed over the same
 * threads (less disturbed than wall time on a shared machine, where a hand-off between threads can
 * wait for a core). Rounds run the contenders in rotating order, after warm-up rounds; the table
 * gives the median and the spread (min–max) over the measured rounds. Not a JMH benchmark: it needs
 * a second process and its own allocation meter.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar
 * dev.colloquy.bench.remote.StreamingOverHttpBenchmark [rounds] [warm-up rounds] [chunks]
 * [characters per chunk] [bulk|event]}; without the last argument it runs both server write modes
 * (see {@link LoopbackSseServer}), each with its own server process.
 */
public final class StreamingOverHttpBenchmark {

  private interface Contender {
    String name();

    /** Streams one reply to the handler and returns the number of characters of text. */
    long stream() throws Exception;
  }

  private record Sample(long nanos, long cpuNanos, long bytes) {}

  /**
   * With {@code -Dbench.perThread=true}, also prints the allocation per thread (names with digits
   * folded).
   */
  private static final boolean PER_THREAD = Boolean.getBoolean("bench.perThread");

  private static final Map<String, Long> perThread = new java.util.TreeMap<>();

  private StreamingOverHttpBenchmark() {}

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int chunks = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    int charsPerChunk = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    List<String> modes = args.length > 4 ? List.of(args[4]) : List.of("bulk", "event");
    for (String mode : modes) {
      run(rounds, warmup, chunks, charsPerChunk, mode);
    }
  }

  private static void run(int rounds, int warmup, int chunks, int charsPerChunk, String mode)
      throws Exception {
    long expectedChars = (long) chunks * charsPerChunk;
    perThread.clear();
    Process server = startServer(chunks, charsPerChunk, mode);
    try {
      int port = readPort(server);
      URI base = URI.create("http://127.0.0.1:" + port + "/v1");
      URI endpoint = URI.create(base + "/chat/completions");
      ChatRequest request =
          ChatRequest.of(
              Message.system("You are a storyteller."),
              Message.user("Tell me a long story about a lighthouse keeper."));
      String body =
          "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"system\",\"content\":"
              + "\"You are a storyteller.\"},{\"role\":\"user\",\"content\":\"Tell me a long story about a "
              + "lighthouse keeper.\"}]}";

      OpenAiChatModel model =
          OpenAiChatModel.builder()
              .baseUrl(base.toString())
              .apiKey("sk-bench")
              .model("gpt-4o-mini")
              .build();
      MinimalSseReader reader = new MinimalSseReader(endpoint, body);
      HttpClient drainClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest drainRequest =
          HttpRequest.newBuilder(endpoint)
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .header("Content-Type", "application/json")
              .build();

      StringBuilder[] lastText = new StringBuilder[2];
      List<Contender> contenders =
          List.of(
              contender(
                  "HttpClient reading the bytes, no parsing (floor)",
                  () -> drain(drainClient, drainRequest)),
              contender(
                  "minimal SSE reader + Jackson (baseline)",
                  () -> {
                    StringBuilder text = new StringBuilder();
                    long[] count = new long[1];
                    reader.stream(
                        delta -> {
                          count[0] += delta.length();
                          text.append(delta);
                        });
                    lastText[0] = text;
                    return count[0] == text.length() ? count[0] : -1;
                  }),
              contender(
                  "Colloquy OpenAiChatModel.generate, streaming",
                  () -> {
                    StringBuilder text = new StringBuilder();
                    long[] count = new long[1];
                    ChatResponse response =
                        model.generate(
                            request,
                            delta -> {
                              count[0] += delta.length();
                              text.append(delta);
                            },
                            Cancellation.none());
                    lastText[1] = text;
                    return response.text().contentEquals(text) ? count[0] : -1;
                  }));

      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      threads.setThreadAllocatedMemoryEnabled(true);
      Map<String, List<Sample>> samples = new HashMap<>();
      for (int round = 0; round < warmup + rounds; round++) {
        for (int k = 0; k < contenders.size(); k++) {
          Contender contender = contenders.get((round + k) % contenders.size());
          Sample sample = measure(threads, contender, expectedChars);
          if (round >= warmup) {
            samples.computeIfAbsent(contender.name(), name -> new ArrayList<>()).add(sample);
          }
        }
      }
      if (!lastText[0].toString().contentEquals(lastText[1])) {
        throw new IllegalStateException("the reader and Colloquy received different text");
      }
      report(contenders, samples, chunks, charsPerChunk, rounds, warmup, mode);
      if (PER_THREAD) {
        long streams = (long) (warmup + rounds) * chunks;
        perThread.forEach(
            (key, bytes) ->
                System.out.printf(
                    Locale.ROOT, "  %-90s %8.0f B per chunk%n", key, (double) bytes / streams));
      }
    } finally {
      server.getOutputStream().close();
      server.waitFor();
    }
  }

  private static Contender contender(String name, Callable body) {
    return new Contender() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public long stream() throws Exception {
        return body.call();
      }
    };
  }

  private interface Callable {
    long call() throws Exception;
  }

  private static long drain(HttpClient client, HttpRequest request)
      throws IOException, InterruptedException {
    HttpResponse<InputStream> response =
        client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    try (InputStream in = response.body()) {
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        total += read;
      }
    }
    return total > 0 ? -2 : -1; // no text: the floor is not checked for it
  }

  private static Sample measure(
      com.sun.management.ThreadMXBean threads, Contender contender, long expectedChars)
      throws Exception {
    long[] idsBefore = threads.getAllThreadIds();
    long[] bytesBefore = threads.getThreadAllocatedBytes(idsBefore);
    long[] cpuBefore = threads.getThreadCpuTime(idsBefore);
    long start = System.nanoTime();
    long chars = contender.stream();
    long nanos = System.nanoTime() - start;
    long[] idsAfter = threads.getAllThreadIds();
    long[] bytesAfter = threads.getThreadAllocatedBytes(idsAfter);
    long[] cpuAfter = threads.getThreadCpuTime(idsAfter);
    if (chars != -2 && chars != expectedChars) {
      throw new IllegalStateException(
          contender.name() + " received " + chars + " characters, expected " + expectedChars);
    }
    Map<Long, Integer> before = new HashMap<>();
    for (int i = 0; i < idsBefore.length; i++) {
      before.put(idsBefore[i], i);
    }
    long bytes = 0;
    long cpu = 0;
    for (int i = 0; i < idsAfter.length; i++) {
      if (bytesAfter[i] < 0 || cpuAfter[i] < 0) {
        continue; // ended meanwhile
      }
      Integer was = before.remove(idsAfter[i]);
      long delta = bytesAfter[i] - (was == null ? 0 : Math.max(0, bytesBefore[was]));
      bytes += delta;
      cpu += cpuAfter[i] - (was == null ? 0 : Math.max(0, cpuBefore[was]));
      if (PER_THREAD && delta > 0) {
        java.lang.management.ThreadInfo info = threads.getThreadInfo(idsAfter[i]);
        String thread = info == null ? "ended" : info.getThreadName().replaceAll("[0-9]+", "N");
        perThread.merge(contender.name() + " | " + thread, delta, Long::sum);
      }
    }
    if (!before.isEmpty()) {
      System.out.println(
          "note: "
              + before.size()
              + " thread(s) ended during a run of "
              + contender.name()
              + "; their allocation and CPU time in it are not counted");
    }
    return new Sample(nanos, cpu, bytes);
  }

  private static void report(
      List<Contender> contenders,
      Map<String, List<Sample>> samples,
      int chunks,
      int charsPerChunk,
      int rounds,
      int warmup,
      String mode) {
    System.out.printf(
        Locale.ROOT,
        "%n%s %s, %d cores; %d chunks of %d characters per stream, server writes: %s; "
            + "%d measured rounds after %d warm-up rounds%n",
        System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"),
        Runtime.getRuntime().availableProcessors(),
        chunks,
        charsPerChunk,
        mode.equals("bulk") ? "64 KiB" : "one per event",
        rounds,
        warmup);
    System.out.printf(
        Locale.ROOT,
        "%-50s %23s %9s %10s %23s %11s %10s %10s%n",
        "contender",
        "wall ms/stream (min–max)",
        "chunks/s",
        "CPU ms",
        "B per chunk (min–max)",
        "vs reader",
        "per round",
        "CPU ratio");
    List<Sample> baseline = samples.get(contenders.get(1).name());
    for (Contender contender : contenders) {
      List<Sample> list = samples.get(contender.name());
      double millis = median(list, Sample::nanos) / 1e6;
      System.out.printf(
          Locale.ROOT,
          "%-50s %7.1f (%6.1f–%6.1f) %9.0f %10.1f %7.0f (%6.0f–%6.0f) %10.2fx %9.2fx %9.2fx%n",
          contender.name(),
          millis,
          min(list, Sample::nanos) / 1e6,
          max(list, Sample::nanos) / 1e6,
          chunks / (millis / 1e3),
          median(list, Sample::cpuNanos) / 1e6,
          median(list, Sample::bytes) / chunks,
          min(list, Sample::bytes) / chunks,
          max(list, Sample::bytes) / chunks,
          median(baseline, Sample::nanos) / median(list, Sample::nanos),
          medianRatio(baseline, list),
          median(baseline, Sample::cpuNanos) / median(list, Sample::cpuNanos));
    }
    System.out.println(
        "wall and CPU: per stream, CPU summed over all threads of this JVM; vs reader: the reader's "
            + "median wall time over this one's; per round: the median over rounds of that ratio within one round "
            + "(the contenders ran back to back, so under the same load); CPU ratio: the same for median CPU time");
  }

  private static double medianRatio(List<Sample> baseline, List<Sample> other) {
    double[] ratios = new double[baseline.size()];
    for (int i = 0; i < ratios.length; i++) {
      ratios[i] = (double) baseline.get(i).nanos() / other.get(i).nanos();
    }
    Arrays.sort(ratios);
    int n = ratios.length;
    return n % 2 == 1 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
  }

  private static double median(List<Sample> list, ToLongFunction<Sample> metric) {
    long[] values = values(list, metric);
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
  }

  private static double min(List<Sample> list, ToLongFunction<Sample> metric) {
    return values(list, metric)[0];
  }

  private static double max(List<Sample> list, ToLongFunction<Sample> metric) {
    long[] values = values(list, metric);
    return values[values.length - 1];
  }

  private static long[] values(List<Sample> list, ToLongFunction<Sample> metric) {
    long[] values = list.stream().mapToLong(metric).toArray();
    Arrays.sort(values);
    return values;
  }

  private static Process startServer(int chunks, int charsPerChunk, String mode)
      throws IOException {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    return new ProcessBuilder(
            java,
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            LoopbackSseServer.class.getName(),
            Integer.toString(chunks),
            Integer.toString(charsPerChunk),
            mode)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static int readPort(Process server) throws IOException {
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (line.startsWith("PORT ")) {
        return Integer.parseInt(line.substring(5).strip());
      }
    }
    throw new IOException("the server process ended before it printed its port");
  }
}
