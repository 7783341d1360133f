package dev.colloquy.bench.local;

import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.SafeTensorSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Jlama's own quantized copies of a model, made as its {@code jlama quantize} command makes them
 * ({@code SafeTensorSupport.quantizeModel}, every tensor but the norms, the command's default):
 * folder {@code jlama-q4} (its Q4: 4 bits with a float scale per 32), from the F32 folder. Its Q8
 * (I8) is not made: Jlama 0.8.4 cannot run it (see {@link Report#jlamaCannot}).
 */
final class JlamaFormats {

  private JlamaFormats() {}

  /** The folder Jlama loads for one of the formats F32, BF16 and Q4_0 (its Q4). */
  static Path folder(BenchModel model, Path work, String format) {
    return format.equals("Q4_0") ? model.folder(work, "jlama-Q4") : model.folder(work, format);
  }

  /** Writes the quantized folders that are not there yet. */
  static void write(BenchModel model, Path work) throws Exception {
    Path source = model.folder(work, "F32");
    if (!Files.exists(source.resolve("README.md"))) { // the quantizer copies it
      Files.writeString(source.resolve("README.md"), "Random weights for the local-runtime benchmark.\n");
    }
    if (!Report.jlamaRuns(model, "Q4_0")) {
      return;
    }
    for (DType type : new DType[] {DType.Q4}) { // its I8 is not run (Report.jlamaCannot)
      Path target = model.folder(work, "jlama-" + type.name());
      BenchModel.writeOnce(target, "model.safetensors", dir -> {
        Files.deleteIfExists(dir.resolve(".complete"));
        try (var files = Files.list(dir)) { // the quantizer refuses to overwrite what a failed run left
          for (Path file : files.toList()) {
            Files.delete(file);
          }
        }
        SafeTensorSupport.quantizeModel(source, type, new String[] {"norm"}, null, Optional.of(dir));
      });
    }
  }
}
