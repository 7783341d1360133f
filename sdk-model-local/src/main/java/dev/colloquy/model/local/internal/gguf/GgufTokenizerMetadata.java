package dev.colloquy.model.local.internal.gguf;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A GGUF file's {@code tokenizer.ggml.*} metadata as plain values, field for field what the
 * tokenizer's {@code GgufVocabulary} takes. Arrays are not copied: treat them as read-only.
 *
 * @param model {@code tokenizer.ggml.model} ({@code "gpt2"}, {@code "llama"})
 * @param pre {@code tokenizer.ggml.pre}, if present
 * @param tokens {@code tokenizer.ggml.tokens}
 * @param scores {@code tokenizer.ggml.scores}; empty when absent
 * @param tokenTypes {@code tokenizer.ggml.token_type}; empty when absent
 * @param merges {@code tokenizer.ggml.merges}; empty when absent
 * @param bosId {@code tokenizer.ggml.bos_token_id}
 * @param eosId {@code tokenizer.ggml.eos_token_id}
 * @param unknownId {@code tokenizer.ggml.unknown_token_id}
 * @param paddingId {@code tokenizer.ggml.padding_token_id}
 * @param addBosToken {@code tokenizer.ggml.add_bos_token}, if present
 */
public record GgufTokenizerMetadata(
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
    Optional<Boolean> addBosToken) {}
