package dev.colloquy.model.local;

import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * The builder's settings; {@code chatFormat} and {@code defaultMaxTokens} are null until the loader
 * resolves them.
 */
record LocalModelSettings(
    Path directory,
    LocalDevice device,
    ComputeBackend backend,
    int threads,
    ChatFormat chatFormat,
    ContextOverflow contextOverflow,
    LongSupplier seedSource,
    String modelId,
    Integer defaultMaxTokens,
    long promptCacheBytes,
    WeightFormat weights,
    Batching batching) {

  /**
   * The step scheduler's limits: requests decoding together, requests waiting for them, and the
   * most prompt tokens a request runs in one step.
   */
  record Batching(int slots, int maxQueued, int prefillChunk) {}

  LocalModelSettings withDefaultMaxTokens(int value) {
    return new LocalModelSettings(
        directory,
        device,
        backend,
        threads,
        chatFormat,
        contextOverflow,
        seedSource,
        modelId,
        value,
        promptCacheBytes,
        weights,
        batching);
  }

  LocalModelSettings withChatFormat(ChatFormat value) {
    return new LocalModelSettings(
        directory,
        device,
        backend,
        threads,
        value,
        contextOverflow,
        seedSource,
        modelId,
        defaultMaxTokens,
        promptCacheBytes,
        weights,
        batching);
  }
}
