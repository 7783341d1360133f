package dev.colloquy.model.local;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.colloquy.model.local.fixture.Gpt2TokenizerJson;
import dev.colloquy.model.local.fixture.RandomDecoderCheckpoint;
import dev.colloquy.model.local.fixture.RandomGpt2Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Peak Java heap, peak RSS and time of loading a model onto the Java engine, in a fresh JVM
 * (docs/benchmarks.md, "Load memory"). Not a unit test: run it by hand, one load per JVM.
 *
 * <pre>
 * # write the checkpoints once
 * java -cp CLASSPATH dev.colloquy.model.local.LoadMemoryBenchmark write-gpt2 target/gpt2-small-random
 * java -cp CLASSPATH dev.colloquy.model.local.LoadMemoryBenchmark write-gpt2 target/gpt2-small-f16 F16
 * java -cp CLASSPATH dev.colloquy.model.local.LoadMemoryBenchmark write-llama target/llama-4l-f32 4 F32
 * # measure: a roomy heap (GC still runs) for the figures, a tight one to prove the fit
 * java -Xmx3g -cp CLASSPATH dev.colloquy.model.local.LoadMemoryBenchmark load target/gpt2-small-random
 * java -Xmx640m -cp CLASSPATH dev.colloquy.model.local.LoadMemoryBenchmark load target/gpt2-small-random
 * </pre>
 *
 * <p>The heap only grows between collections, so its peak during the load is the largest of the
 * heap used just before each collection and at the end; the report gives that, the largest heap
 * still used after a collection (what was live then), both above the heap used before the load, and
 * each as a multiple of the weights' bytes (the safetensors files' sizes). {@code write-llama}
 * writes Llama-3.2-1B's shape (width 2048, 32 heads, 8 key/value heads, inner 8192, vocabulary
 * 128256, tied head) with the given number of layers, and GPT-2's tokenizer.
 */
public final class LoadMemoryBenchmark {

  private LoadMemoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "write-gpt2" ->
          RandomGpt2Checkpoint.gpt2Small()
              .withDtype(args.length > 2 ? args[2] : "F32")
              .writeTo(Path.of(args[1]));
      case "write-llama" -> writeLlama(Path.of(args[1]), Integer.parseInt(args[2]), args[3]);
      case "load" -> load(Path.of(args[1]), args.length > 2 ? args[2] : "AS_STORED");
      default -> throw new IllegalArgumentException("write-gpt2, write-llama or load: " + args[0]);
    }
  }

  private static void writeLlama(Path directory, int layers, String dtype) throws IOException {
    new RandomDecoderCheckpoint(
            "llama", layers, 2048, 32, 8, 64, 8192, 128256, 2048, true, 0, "null", dtype, 1, 7,
            Map.of())
        .writeTo(directory);
    Files.writeString(directory.resolve("tokenizer.json"), Gpt2TokenizerJson.text());
  }

  private static void load(Path directory, String format) throws Exception {
    long weightBytes = weightBytes(directory);
    AtomicLong loadEnd = new AtomicLong(Long.MAX_VALUE); // JVM uptime in ms when the load ended
    AtomicLong peakBeforeGc = new AtomicLong();
    AtomicLong peakAfterGc = new AtomicLong();
    AtomicLong collections = new AtomicLong();
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) collector)
          .addNotificationListener(
              (notification, handback) -> {
                var info =
                    GarbageCollectionNotificationInfo.from(
                        (CompositeData) notification.getUserData());
                if (info.getGcInfo().getStartTime() > loadEnd.get()) {
                  return;
                }
                collections.incrementAndGet();
                peakBeforeGc.accumulateAndGet(
                    used(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
                peakAfterGc.accumulateAndGet(
                    used(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
              },
              notification ->
                  notification
                      .getType()
                      .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION),
              null);
    }
    System.gc();
    Thread.sleep(200);
    long before = heapUsed();
    peakBeforeGc.set(0);
    peakAfterGc.set(0);
    collections.set(0);
    long start = System.nanoTime();
    String description;
    try (LocalGptModel model =
        LocalGptModel.builder(directory)
            .device(LocalDevice.cpu())
            .backend(ComputeBackend.JAVA)
            .threads(1)
            .weights(WeightFormat.valueOf(format))
            .build()) {
      long atEnd = heapUsed();
      loadEnd.set(ManagementFactory.getRuntimeMXBean().getUptime());
      double seconds = (System.nanoTime() - start) / 1e9;
      Thread.sleep(500); // notifications arrive on their own thread
      peakBeforeGc.accumulateAndGet(atEnd, Math::max);
      System.gc();
      Thread.sleep(200);
      long retained = heapUsed() - before;
      description = model.runtimeDescription();
      long peak = peakBeforeGc.get() - before;
      long live = Math.max(0, peakAfterGc.get() - before);
      System.out.printf(
          Locale.ROOT,
          "%s (%s): weights %.1f MB; load %.2f s, %d GCs; heap peak %.1f MB (%.2fx), largest after"
              + " a GC %.1f MB (%.2fx), kept %.1f MB (%.2fx); max heap %.0f MB; RSS peak %.1f MB;"
              + " %s; load average %s%n",
          directory.getFileName(),
          format,
          weightBytes / 1e6,
          seconds,
          collections.get(),
          peak / 1e6,
          (double) peak / weightBytes,
          live / 1e6,
          (double) live / weightBytes,
          retained / 1e6,
          (double) retained / weightBytes,
          Runtime.getRuntime().maxMemory() / 1e6,
          peakRss() / 1e6,
          description,
          loadAverage());
    }
  }

  private static long used(Map<String, MemoryUsage> pools) {
    return pools.entrySet().stream()
        .filter(e -> isHeap(e.getKey()))
        .mapToLong(e -> e.getValue().getUsed())
        .sum();
  }

  private static boolean isHeap(String pool) {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .anyMatch(p -> p.getName().equals(pool) && p.getType() == MemoryType.HEAP);
  }

  private static long heapUsed() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP)
        .map(MemoryPoolMXBean::getUsage)
        .mapToLong(MemoryUsage::getUsed)
        .sum();
  }

  /** The weights files' bytes: a GGUF file's size, or a folder's safetensors or GGUF files'. */
  private static long weightBytes(Path directory) throws IOException {
    if (Files.isRegularFile(directory)) {
      return Files.size(directory);
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(
              f ->
                  f.getFileName().toString().endsWith(".safetensors")
                      || f.getFileName().toString().endsWith(".gguf"))
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .sum();
    }
  }

  /** VmHWM of /proc/self/status, in bytes (0 where there is none). */
  private static long peakRss() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return 0;
    }
    return Files.readAllLines(status).stream()
        .filter(line -> line.startsWith("VmHWM:"))
        .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024)
        .findFirst()
        .orElse(0);
  }

  private static String loadAverage() throws IOException {
    Path file = Path.of("/proc/loadavg");
    return Files.exists(file) ? Files.readString(file).trim() : "unknown";
  }
}
