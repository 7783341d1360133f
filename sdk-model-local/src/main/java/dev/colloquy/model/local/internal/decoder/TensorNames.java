package dev.colloquy.model.local.internal.decoder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The canonical tensor names of a decoder checkpoint: llama.cpp's GGUF names. Every file format
 * (Hugging Face safetensors, GGUF) is mapped onto these on load. Matrices are row-major {@code
 * [out, in]} (PyTorch's Linear layout, GGUF's data order); Q and K rows are in Hugging Face's
 * rotate-half (NeoX) RoPE order.
 */
public final class TensorNames {

  /** {@code [vocab, width]}. */
  public static final String TOKEN_EMBEDDING = "token_embd.weight";

  /** {@code [width]}: the final RMSNorm. */
  public static final String OUTPUT_NORM = "output_norm.weight";

  /** {@code [vocab, width]}: the LM head, absent when tied to the embedding. */
  public static final String OUTPUT = "output.weight";

  private TensorNames() {}

  /** {@code [width]}: RMSNorm before attention. */
  public static String attentionNorm(int layer) {
    return block(layer) + "attn_norm.weight";
  }

  /** {@code [heads * headWidth, width]}. */
  public static String query(int layer) {
    return block(layer) + "attn_q.weight";
  }

  /** {@code [kvHeads * headWidth, width]}. */
  public static String key(int layer) {
    return block(layer) + "attn_k.weight";
  }

  /** {@code [kvHeads * headWidth, width]}. */
  public static String value(int layer) {
    return block(layer) + "attn_v.weight";
  }

  /** {@code [heads * headWidth]} (Qwen2). */
  public static String queryBias(int layer) {
    return block(layer) + "attn_q.bias";
  }

  /** {@code [kvHeads * headWidth]} (Qwen2). */
  public static String keyBias(int layer) {
    return block(layer) + "attn_k.bias";
  }

  /** {@code [kvHeads * headWidth]} (Qwen2). */
  public static String valueBias(int layer) {
    return block(layer) + "attn_v.bias";
  }

  /** {@code [headWidth]}: per-head RMSNorm of queries (Qwen3). */
  public static String queryNorm(int layer) {
    return block(layer) + "attn_q_norm.weight";
  }

  /** {@code [headWidth]}: per-head RMSNorm of keys (Qwen3). */
  public static String keyNorm(int layer) {
    return block(layer) + "attn_k_norm.weight";
  }

  /** {@code [width, heads * headWidth]}. */
  public static String attentionOutput(int layer) {
    return block(layer) + "attn_output.weight";
  }

  /** {@code [width]} (Llama with {@code attention_bias}). */
  public static String attentionOutputBias(int layer) {
    return block(layer) + "attn_output.bias";
  }

  /** {@code [width]}: RMSNorm before the MLP. */
  public static String feedForwardNorm(int layer) {
    return block(layer) + "ffn_norm.weight";
  }

  /** {@code [inner, width]}. */
  public static String gate(int layer) {
    return block(layer) + "ffn_gate.weight";
  }

  /** {@code [inner, width]}. */
  public static String up(int layer) {
    return block(layer) + "ffn_up.weight";
  }

  /** {@code [width, inner]}. */
  public static String down(int layer) {
    return block(layer) + "ffn_down.weight";
  }

  /** {@code [inner]} (Llama with {@code mlp_bias}). */
  public static String gateBias(int layer) {
    return block(layer) + "ffn_gate.bias";
  }

  /** {@code [inner]} (Llama with {@code mlp_bias}). */
  public static String upBias(int layer) {
    return block(layer) + "ffn_up.bias";
  }

  /** {@code [width]} (Llama with {@code mlp_bias}). */
  public static String downBias(int layer) {
    return block(layer) + "ffn_down.bias";
  }

  private static String block(int layer) {
    return "blk." + layer + ".";
  }

  /**
   * Returns every tensor {@code config} needs, by canonical name, with its shape ({@code [out, in]}
   * for matrices), in load order: the embedding, each block, the final norm, the LM head unless
   * tied.
   */
  public static Map<String, long[]> expected(DecoderConfig config) {
    long width = config.width();
    long query = config.queryWidth();
    long keyValue = config.keyValueWidth();
    long inner = config.innerWidth();
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.put(TOKEN_EMBEDDING, new long[] {config.vocabularySize(), width});
    for (int layer = 0; layer < config.layerCount(); layer++) {
      shapes.put(attentionNorm(layer), new long[] {width});
      shapes.put(query(layer), new long[] {query, width});
      shapes.put(key(layer), new long[] {keyValue, width});
      shapes.put(value(layer), new long[] {keyValue, width});
      if (config.queryKeyValueBias()) {
        shapes.put(queryBias(layer), new long[] {query});
        shapes.put(keyBias(layer), new long[] {keyValue});
        shapes.put(valueBias(layer), new long[] {keyValue});
      }
      if (config.queryKeyNorm()) {
        shapes.put(queryNorm(layer), new long[] {config.headWidth()});
        shapes.put(keyNorm(layer), new long[] {config.headWidth()});
      }
      shapes.put(attentionOutput(layer), new long[] {width, query});
      if (config.outputBias()) {
        shapes.put(attentionOutputBias(layer), new long[] {width});
      }
      shapes.put(feedForwardNorm(layer), new long[] {width});
      shapes.put(gate(layer), new long[] {inner, width});
      shapes.put(up(layer), new long[] {inner, width});
      shapes.put(down(layer), new long[] {width, inner});
      if (config.feedForwardBias()) {
        shapes.put(gateBias(layer), new long[] {inner});
        shapes.put(upBias(layer), new long[] {inner});
        shapes.put(downBias(layer), new long[] {width});
      }
    }
    shapes.put(OUTPUT_NORM, new long[] {width});
    if (!config.tiedEmbeddings()) {
      shapes.put(OUTPUT, new long[] {config.vocabularySize(), width});
    }
    return shapes;
  }
}
