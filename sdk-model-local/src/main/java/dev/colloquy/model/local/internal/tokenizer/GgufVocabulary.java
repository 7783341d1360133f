package dev.colloquy.model.local.internal.tokenizer;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A GGUF file's tokenizer metadata as plain values, as the GGUF reader finds them under {@code
 * tokenizer.ggml.*}; {@link BpeTokenizer#fromGguf} builds the tokenizer from it. Arrays are taken
 * as they are, not copied.
 *
 * @param model {@code tokenizer.ggml.model}: {@code "gpt2"} (byte-level BPE) or {@code "llama"}
 *     (SentencePiece BPE with byte fallback)
 * @param pre {@code tokenizer.ggml.pre}, the pre-tokenizer of a {@code "gpt2"} model ({@code
 *     llama-bpe}, {@code qwen2}, {@code smollm}, {@code default}, {@code gpt-2}); empty when absent
 * @param tokens {@code tokenizer.ggml.tokens}, the token texts by id
 * @param scores {@code tokenizer.ggml.scores}, one per token (needed for a {@code "llama"} model
 *     without merges); empty when absent
 * @param tokenTypes {@code tokenizer.ggml.token_type}, one per token: 1 normal, 2 unknown, 3
 *     control, 4 user defined, 5 unused, 6 byte; empty when absent (all normal)
 * @param merges {@code tokenizer.ggml.merges}, {@code "left right"}; empty when absent (a {@code
 *     "llama"} model's merges are then derived from the scores)
 * @param bosId {@code tokenizer.ggml.bos_token_id}
 * @param eosId {@code tokenizer.ggml.eos_token_id}
 * @param unknownId {@code tokenizer.ggml.unknown_token_id}
 * @param paddingId {@code tokenizer.ggml.padding_token_id}
 * @param addBosToken {@code tokenizer.ggml.add_bos_token}; when absent, true for {@code "llama"}
 *     and for the {@code llama-bpe} pre-tokenizer, as llama.cpp decides
 */
public record GgufVocabulary(
    String model,
    Optional<String> pre,
    List<String> tokens,
    float[] scores,
    int[] tokenTypes,
    List<String> merges,
    OptionalInt bosId,
    OptionalInt eosId,
    OptionalInt unknownId,
    OptionalInt paddingId,
    Optional<Boolean> addBosToken) {

  /** Token type: an ordinary token. */
  public static final int NORMAL = 1;

  /** Token type: the unknown token. */
  public static final int UNKNOWN = 2;

  /** Token type: a control token (bos, eos, a template's markers). */
  public static final int CONTROL = 3;

  /** Token type: a token the model's authors added, matched in text as a whole. */
  public static final int USER_DEFINED = 4;

  /** Token type: a reserved token never used. */
  public static final int UNUSED = 5;

  /** Token type: a SentencePiece byte token, {@code <0xNN>}. */
  public static final int BYTE = 6;
}
