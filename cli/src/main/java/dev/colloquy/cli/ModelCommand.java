package dev.colloquy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.demo.ShopModel;
import dev.colloquy.model.local.LocalGptModel;
import dev.colloquy.trainer.RandomCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code colloquy model info|random}: inspect a checkpoint, or write a random one for tests. */
@Command(
    name = "model",
    mixinStandardHelpOptions = true,
    description = "Inspect or create local checkpoints.",
    subcommands = {ModelCommand.Info.class, ModelCommand.Random.class})
final class ModelCommand {

  /** {@code model info [PATH]}. */
  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description =
          "Show a checkpoint's shape, files and capabilities (default: the embedded demo model).")
  static final class Info implements Callable<Integer> {

    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "PATH",
        description = "The checkpoint folder or GGUF file.")
    Path directory;

    @Override
    public Integer call() {
      Path path = directory != null ? directory : ShopModel.directory();
      System.out.println(
          "model: " + (directory != null ? path : "embedded demo model (" + path + ")"));
      Path config = path.resolve("config.json");
      if (Files.isDirectory(path) && Files.isRegularFile(config)) {
        printShape(config);
      }
      try (Stream<Path> files = Files.isDirectory(path) ? Files.list(path) : Stream.of(path)) {
        files
            .sorted()
            .forEach(
                f -> {
                  try {
                    System.out.printf("file: %s (%,d bytes)%n", f.getFileName(), Files.size(f));
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
      }
      try (LocalGptModel model = LocalGptModel.load(path)) {
        System.out.println("runtime: " + model.runtimeDescription());
        System.out.println("chat format: " + model.chatFormat());
        System.out.println(
            "capabilities: context "
                + model.capabilities().contextWindow()
                + " tokens, tool calling "
                + model.capabilities().toolCalling()
                + ", streaming "
                + model.capabilities().streaming());
      }
      return 0;
    }

    /**
     * GPT-2's config names its sizes n_layer, n_head...; the other families as transformers does.
     */
    private static void printShape(Path file) {
      JsonNode config;
      try {
        config = new ObjectMapper().readTree(Files.readString(file));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
      boolean gpt2 = config.path("model_type").asText("gpt2").equals("gpt2");
      System.out.printf(
          "shape: %s, %d layers, %d heads, width %d, context %d, vocabulary %d%n",
          config.path("model_type").asText("gpt2"),
          config.path(gpt2 ? "n_layer" : "num_hidden_layers").asInt(),
          config.path(gpt2 ? "n_head" : "num_attention_heads").asInt(),
          config.path(gpt2 ? "n_embd" : "hidden_size").asInt(),
          gpt2
              ? config.path("n_positions").asInt(config.path("n_ctx").asInt())
              : config.path("max_position_embeddings").asInt(),
          config.path("vocab_size").asInt());
    }
  }

  /** {@code model random --out DIR}. */
  @Command(
      name = "random",
      mixinStandardHelpOptions = true,
      description =
          "Write a GPT-2 checkpoint with random weights and GPT-2's real tokenizer (for tests and benchmarks).")
  static final class Random implements Callable<Integer> {

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "Where to write it.")
    Path out;

    @Option(
        names = "--layers",
        defaultValue = "2",
        description = "Blocks (default ${DEFAULT-VALUE}).")
    int layers;

    @Option(
        names = "--heads",
        defaultValue = "4",
        description = "Heads (default ${DEFAULT-VALUE}).")
    int heads;

    @Option(
        names = "--width",
        defaultValue = "64",
        description = "Width (default ${DEFAULT-VALUE}).")
    int width;

    @Option(
        names = "--positions",
        defaultValue = "128",
        description = "Context length (default ${DEFAULT-VALUE}).")
    int positions;

    @Option(
        names = "--seed",
        defaultValue = "1",
        description = "Weights seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
      if (width % heads != 0) {
        throw new IllegalArgumentException(
            "--width " + width + " is not divisible by --heads " + heads);
      }
      new RandomCheckpoint(layers, heads, width, positions, seed).writeTo(out);
      System.out.printf(
          "wrote a random GPT-2 checkpoint (%d layers, %d heads, width %d, %d positions, seed %d) to %s%n",
          layers, heads, width, positions, seed, out);
      return 0;
    }
  }
}
