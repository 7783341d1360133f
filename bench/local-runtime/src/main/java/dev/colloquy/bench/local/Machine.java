package dev.colloquy.bench.local;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** What the benchmarks read about this machine and this process: bandwidth, memory peaks, load. */
final class Machine {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;

  private static float[] bandwidthData;

  private Machine() {}

  /**
   * The best rate of summing a 512 MiB array (vectorised, so not compute bound) with 1 thread and
   * with {@code threads} threads: the fastest a decode can stream its weights right now, in GB/s.
   */
  static double bandwidthGigabytesPerSecond(int threads) throws InterruptedException {
    if (bandwidthData == null) {
      bandwidthData = new float[128 << 20];
      Arrays.fill(bandwidthData, 1f);
    }
    float[] data = bandwidthData;
    double best = 0;
    for (int round = 0; round < 12; round++) {
      int used = round % 2 == 0 ? 1 : threads;
      Thread[] workers = new Thread[used];
      float[] sums = new float[used * 16];
      long start = System.nanoTime();
      for (int t = 0; t < used; t++) {
        int part = t;
        workers[t] = new Thread(() -> {
          int chunk = data.length / used;
          FloatVector s0 = FloatVector.zero(SPECIES);
          FloatVector s1 = s0;
          FloatVector s2 = s0;
          FloatVector s3 = s0;
          for (int i = part * chunk; i < (part + 1) * chunk; i += 32) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, data, i));
            s1 = s1.add(FloatVector.fromArray(SPECIES, data, i + 8));
            s2 = s2.add(FloatVector.fromArray(SPECIES, data, i + 16));
            s3 = s3.add(FloatVector.fromArray(SPECIES, data, i + 24));
          }
          sums[part * 16] = s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
        });
        workers[t].start();
      }
      for (Thread worker : workers) {
        worker.join();
      }
      if (round >= 2) { // the first two compile the loop
        best = Math.max(best, data.length * 4.0 / (System.nanoTime() - start));
      }
    }
    return best;
  }

  /** The sum of the heap pools' peak usage since the JVM started (or the last reset), in MiB. */
  static long heapPeakMib() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak >> 20;
  }

  /** The heap in use after a full collection, in MiB: what the loaded model keeps. */
  static long liveHeapMib() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
  }

  /** The process's peak resident set (VmHWM) in MiB, or -1 where /proc is not there. */
  static long peakRssMib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown cpu");
    } catch (IOException e) {
      return "unknown cpu";
    }
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The median; NaN for no values. */
  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
