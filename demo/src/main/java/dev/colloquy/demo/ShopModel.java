package dev.colloquy.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The embedded demo model: a small GPT-2 trained by {@link TrainShopModel} for the demo shop's
 * customer service only (English and Chinese; greetings, orders through the {@code orderStatus}
 * tool, delivery, returns, opening hours, hand-over, goodbyes, polite refusals). It is a demo of
 * the local runtime, not a general assistant. Its files ship as class-path resources and are copied
 * once into a cache folder, so it loads from a jar as well as from the build.
 */
public final class ShopModel {

  private static final String RESOURCES = "/dev/colloquy/demo/model/";
  private static final List<String> FILES =
      List.of("config.json", "generation_config.json", "tokenizer.json", "model.safetensors");

  private ShopModel() {}

  /**
   * Returns a folder holding the model files, copying them from the class path on first use.
   *
   * @throws UncheckedIOException when the resources are missing or the cache cannot be written
   */
  public static Path directory() {
    try {
      long size = 0;
      for (String file : FILES) {
        size += resource(file).readAllBytes().length;
      }
      Path target =
          Path.of(
              System.getProperty("java.io.tmpdir"), "colloquy-shop-demo-" + Long.toHexString(size));
      for (String file : FILES) {
        Path path = target.resolve(file);
        if (!Files.exists(path)) {
          Files.createDirectories(target);
          Path partial = Files.createTempFile(target, file, ".part");
          try (InputStream in = resource(file)) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
          }
          Files.move(
              partial, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the embedded demo model: " + e.getMessage(), e);
    }
  }

  private static InputStream resource(String file) throws IOException {
    InputStream in = ShopModel.class.getResourceAsStream(RESOURCES + file);
    if (in == null) {
      throw new IOException(
          "the class path lacks "
              + RESOURCES
              + file
              + " (train it with TrainShopModel, see docs/local.md)");
    }
    return in;
  }
}
