package dev.colloquy.model.local.internal.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes weights in the Hugging Face GPT-2 layout that {@link CheckpointReader} and {@code
 * transformers} read: {@code config.json}, {@code model.safetensors} (tied LM head, no {@code
 * lm_head.weight}) and {@code generation_config.json}.
 */
public final class CheckpointWriter {

  private CheckpointWriter() {}

  /**
   * Writes the checkpoint files into {@code directory} (created if needed).
   *
   * @param weights the weights; the LM head must be tied to the token embedding
   * @param dtype F32 or F16
   * @param generationConfigJson the generation_config.json text
   */
  public static void write(
      GptWeights weights, String dtype, String generationConfigJson, Path directory) {
    GptConfig c = weights.config();
    if (weights.lmHead() != weights.tokenEmbedding()) {
      throw new IllegalArgumentException("only checkpoints with a tied LM head can be written");
    }
    SafetensorsWriter writer = new SafetensorsWriter(dtype);
    int width = c.width();
    int inner = c.innerWidth();
    writer.add("wte.weight", weights.tokenEmbedding(), c.vocabularySize(), width);
    writer.add("wpe.weight", weights.positionEmbedding(), c.contextLength(), width);
    for (int i = 0; i < weights.layers().size(); i++) {
      GptWeights.Layer l = weights.layers().get(i);
      String h = "h." + i + ".";
      writer.add(h + "ln_1.weight", l.norm1Weight(), width);
      writer.add(h + "ln_1.bias", l.norm1Bias(), width);
      writer.add(h + "attn.c_attn.weight", l.qkvWeight(), width, 3L * width);
      writer.add(h + "attn.c_attn.bias", l.qkvBias(), 3L * width);
      writer.add(h + "attn.c_proj.weight", l.attentionOutWeight(), width, width);
      writer.add(h + "attn.c_proj.bias", l.attentionOutBias(), width);
      writer.add(h + "ln_2.weight", l.norm2Weight(), width);
      writer.add(h + "ln_2.bias", l.norm2Bias(), width);
      writer.add(h + "mlp.c_fc.weight", l.mlpInWeight(), width, inner);
      writer.add(h + "mlp.c_fc.bias", l.mlpInBias(), inner);
      writer.add(h + "mlp.c_proj.weight", l.mlpOutWeight(), inner, width);
      writer.add(h + "mlp.c_proj.bias", l.mlpOutBias(), width);
    }
    writer.add("ln_f.weight", weights.finalNormWeight(), width);
    writer.add("ln_f.bias", weights.finalNormBias(), width);
    try {
      Files.createDirectories(directory);
      Files.writeString(directory.resolve("config.json"), configJson(c));
      Files.writeString(directory.resolve("generation_config.json"), generationConfigJson);
      writer.write(directory.resolve("model.safetensors"));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the checkpoint into " + directory + ": " + e.getMessage(), e);
    }
  }

  /** Returns the config.json text for the hyper-parameters. */
  public static String configJson(GptConfig c) {
    return """
        {
          "architectures": ["GPT2LMHeadModel"],
          "model_type": "gpt2",
          "activation_function": "gelu_new",
          "n_layer": %d,
          "n_head": %d,
          "n_embd": %d,
          "n_inner": %d,
          "n_positions": %d,
          "n_ctx": %d,
          "vocab_size": %d,
          "layer_norm_epsilon": %s,
          "bos_token_id": %d,
          "eos_token_id": %d,
          "tie_word_embeddings": true
        }
        """
        .formatted(
            c.layerCount(),
            c.headCount(),
            c.width(),
            c.innerWidth(),
            c.contextLength(),
            c.contextLength(),
            c.vocabularySize(),
            Float.toString(c.layerNormEpsilon()),
            c.endOfTextId(),
            c.endOfTextId());
  }
}
