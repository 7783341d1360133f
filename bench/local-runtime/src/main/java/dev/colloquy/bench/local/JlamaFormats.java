package dev.colloquy.bench.local;

import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.SafeTensorSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Jlama's own quantized copies of a model, made as its {@code jlama quantize} command makes them
 * ({@code SafeTensorSupport.quantizeModel}, every tensor but the norms, the command's default):
 * folder {@code jlama-i8} (its Q8: int8 with a float scale per 32) and {@code jlama-q4} (its Q4: 4
 * bits with a float scale per 32), from the F32 folder.
 */
final class JlamaFormats {

  private JlamaFormats() {}

  /** The folder Jlama loads for one of the formats F32, BF16, Q8_0 (its I8) and Q4_0 (its Q4). */
  static Path folder(BenchModel model, Path work, String format) {
    return switch (format) {
      case "Q8_0" -> model.folder(work, "jlama-I8");
      case "Q4_0" -> model.folder(work, "jlama-Q4");
      default -> model.folder(work, format);
    };
  }

  /** Writes the quantized folders that are not there yet. */
  static void write(BenchModel model, Path work) throws Exception {
    Path source = model.folder(work, "F32");
    if (!Files.exists(source.resolve("README.md"))) { // the quantizer copies it
      Files.writeString(source.resolve("README.md"), "Random weights for the local-runtime benchmark.\n");
    }
    for (DType type : new DType[] {DType.I8, DType.Q4}) {
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
