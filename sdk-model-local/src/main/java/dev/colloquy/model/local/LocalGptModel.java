package dev.colloquy.model.local;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.CancelledException;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.FinishReason;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.ResponseFormat;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenCounter;
import dev.colloquy.core.model.TokenLogprob;
import dev.colloquy.core.model.TokenUsage;
import dev.colloquy.model.local.internal.generation.LogprobRecorder;
import dev.colloquy.model.local.internal.generation.NativeToolCallStream;
import dev.colloquy.model.local.internal.generation.PromptEncoder;
import dev.colloquy.model.local.internal.generation.ReplyMemory;
import dev.colloquy.model.local.internal.generation.SamplingSettings;
import dev.colloquy.model.local.internal.generation.TextStream;
import dev.colloquy.model.local.internal.generation.TokenSampler;
import dev.colloquy.model.local.internal.generation.ToolCallParser;
import dev.colloquy.model.local.internal.generation.ToolCallStream;
import dev.colloquy.model.local.internal.runtime.GptRuntime;
import dev.colloquy.model.local.internal.runtime.PromptCache;
import dev.colloquy.model.local.internal.tokenizer.BpeTokenizer;
import dev.colloquy.model.local.internal.tokenizer.ReplyBytes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A decoder-only language model running inside this JVM: the Llama family (Llama 2/3.x, TinyLlama,
 * SmolLM2), Mistral, Qwen2/2.5, Qwen3 and Phi-3 from a Hugging Face directory ({@code config.json},
 * single or sharded safetensors in F32/F16/BF16, {@code tokenizer.json}, {@code
 * tokenizer_config.json}) or from one GGUF file (its tokenizer and chat template in its metadata);
 * and GPT-2, DistilGPT2 and DialoGPT from a Hugging Face directory ({@code tokenizer.json}, or
 * {@code vocab.json} and {@code merges.txt}). The model's own chat template renders conversations
 * and its native tool calls are parsed, unless a {@link ChatFormat} is given. The small files are
 * read and checked before the weights.
 *
 * <pre>{@code
 * try (LocalGptModel model = LocalGptModel.load(Path.of("models/gpt2"))) {
 *   String reply = model.chat(ChatRequest.of(Message.user("Hello"))).text();
 * }
 * }</pre>
 *
 * <p>Thread-safety: one instance may be shared by any number of threads. Up to {@link
 * Builder#batchSlots(int)} requests generate together (continuous batching): each runs on its
 * caller's thread, and their forward passes run as one batched step, requests joining and leaving
 * between steps; a prompt runs in chunks of {@link Builder#prefillChunkTokens(int)} tokens, one a
 * step, and a step takes at most that many prompt tokens of all requests together. More requests
 * wait in arrival order, up to {@link Builder#maxQueuedRequests(int)}; beyond that a request fails
 * at once with a {@link dev.colloquy.core.resilience.CallRejectedException}. A cancelled request
 * leaves before the next step, or stops waiting. Replies are the same as when each request runs
 * alone.
 *
 * <p>Decoding: temperature 0 (or top-k 1) is greedy; otherwise temperature, top-k and top-p
 * sampling from a seed, the request's or else one drawn from the builder's seed source. The
 * repetition penalty applies to every token of the prompt and the reply. The reply ends at
 * end-of-text, a stop sequence (the request's or the chat format's, matched on the text across
 * token boundaries), the token limit, or the end of the context window ({@link
 * FinishReason#LENGTH}). Tools are offered when the chat format supports them ({@link
 * ChatFormat#colloquy()}, or a model's own template with a {@link ToolCallSyntax}): the model's
 * calls are parsed into tool calls, also while streaming, and the finish reason is then {@link
 * FinishReason#TOOL_CALLS}. JSON output is not supported and is rejected. When {@link
 * ContextOverflow#DROP_OLDEST_TURNS} drops messages, the response's warnings say so.
 *
 * <p>Conversation cache: each generation's KV cache is kept, keyed by its token ids, and the next
 * request runs only the prompt tokens after the longest prefix it shares with a kept one (the next
 * turn of a conversation, or another conversation under the same system prompt), within {@link
 * Builder#promptCacheBytes(long)}, least recently used first out. Results are the same with and
 * without it; a cancelled or failed generation leaves nothing behind. An assistant message this
 * model generated (in this process; the last 1,024 kept) goes back into later prompts as the token
 * ids the model wrote, not re-tokenized, wherever the prompt then reads as the conversation with
 * that reply as the model wrote it: the cache then holds the whole conversation, and the model
 * reads its own words as it wrote them. A history from elsewhere (another model, a store read after
 * a restart) is tokenized from its text.
 *
 * <p>Logprobs ({@link ChatOptions.Builder#logprobs(int)}), computed only when asked for, are the
 * log-softmax of the model's raw logits at each generated position, before temperature, top-k,
 * top-p and the repetition penalty, as the OpenAI API reports them; the end-of-text token and the
 * tokens wholly inside a stop sequence are left out, and with tools the tokens of the model's tool
 * call markup are listed too.
 */
public final class LocalGptModel implements ChatModel, AutoCloseable {

  private final LocalModelSettings settings;
  private final BpeTokenizer tokenizer;
  private final GptRuntime runtime;
  private final ChatOptions defaults;
  private final PromptEncoder promptEncoder;
  private final ReplyMemory replies = new ReplyMemory(REMEMBERED_REPLIES);
  private final PromptCache promptCache;
  private final StepScheduler scheduler;
  private volatile int lastReusedTokens; // for tests and the benchmark: the last prompt's cache hit

  // The replies whose own ids later prompts reuse (ReplyMemory): a long chat's worth of many
  // conversations, each at most a reply's tokens.
  private static final int REMEMBERED_REPLIES = 1024;

  LocalGptModel(
      LocalModelSettings settings,
      BpeTokenizer tokenizer,
      GptRuntime runtime,
      ChatOptions defaults) {
    this.settings = settings;
    this.tokenizer = tokenizer;
    this.runtime = runtime;
    this.defaults = defaults;
    this.promptEncoder =
        new PromptEncoder(
            tokenizer,
            settings.chatFormat(),
            runtime.endOfTextIds().get(0),
            runtime.contextLength(),
            replies);
    this.promptCache = new PromptCache(runtime, settings.promptCacheBytes());
    this.scheduler =
        new StepScheduler(
            runtime,
            settings.batching().slots(),
            settings.batching().maxQueued(),
            settings.batching().prefillChunk(),
            this::release);
  }

  /**
   * Loads a model directory or GGUF file with the default settings (see {@link Builder}).
   *
   * @throws ModelLoadException when a file is missing or malformed, naming it
   */
  public static LocalGptModel load(Path directory) {
    return builder(directory).build();
  }

  /**
   * Returns a builder for a model: a Hugging Face directory, a {@code .gguf} file, or a directory
   * whose only model file is a {@code .gguf} file.
   */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /** Returns this model's own tokenizer as a counter. */
  @Override
  public Optional<TokenCounter> tokenCounter() {
    return Optional.of(text -> tokenizer.encode(text).length);
  }

  @Override
  public ModelCapabilities capabilities() {
    return new ModelCapabilities(
        runtime.contextLength(), settings.chatFormat().supportsTools(), false, false, true, true);
  }

  /**
   * Returns the chat format in use: the builder's, the checkpoint's {@code chat_format}, its own
   * chat template, or the transcript format, in that order.
   */
  public ChatFormat chatFormat() {
    return settings.chatFormat();
  }

  /** Returns the engine and device the model runs on, e.g. {@code "java-cpu, 2 threads"}. */
  public String runtimeDescription() {
    return runtime.description();
  }

  @Override
  public ChatResponse generate(
      ChatRequest request, StreamListener listener, Cancellation cancellation) {
    rejectUnsupported(request, settings.chatFormat());
    cancellation.throwIfCancelled();
    try (StepScheduler.Slot slot = scheduler.admit(cancellation)) {
      return generateIn(slot, request, listener, cancellation);
    }
  }

  /** One request's generation loop, on its caller's thread; its forward passes go to the slot. */
  private ChatResponse generateIn(
      StepScheduler.Slot slot,
      ChatRequest request,
      StreamListener listener,
      Cancellation cancellation) {
    ChatOptions options = request.options().withDefaults(defaults);
    PromptEncoder.Prompt prompt =
        promptEncoder.encode(request.messages(), request.tools(), settings.contextOverflow());
    List<String> warnings = new ArrayList<>();
    if (prompt.droppedMessages() > 0) {
      warnings.add(
          "dropped the "
              + prompt.droppedMessages()
              + " oldest message(s) to fit the prompt into the "
              + runtime.contextLength()
              + "-token context window");
    }
    int context = runtime.contextLength();
    int maxNew =
        Math.min(
            options.maxTokens().orElse(settings.defaultMaxTokens()),
            context - prompt.tokens().length);
    SamplingSettings sampling =
        new SamplingSettings(
            options.temperature().orElse(0.0),
            options.topK().orElse(0),
            options.topP().orElse(1.0),
            options.repetitionPenalty().orElse(1.0),
            options.seed().orElse(settings.seedSource().getAsLong()));
    TokenSampler sampler = new TokenSampler(sampling, runtime.vocabularySize(), tokenizer.size());
    for (int token : prompt.tokens()) {
      sampler.observe(token);
    }
    List<String> stops = new ArrayList<>(options.stop());
    stops.addAll(settings.chatFormat().stopSequences());
    java.util.function.Consumer<String> textSink =
        delta -> {
          cancellation.throwIfCancelled();
          listener.onText(delta);
        };
    ToolCallParser calls =
        request.tools().isEmpty() ? null : toolCallParser(request, textSink, listener);
    TextStream stream = new TextStream(stops, calls == null ? textSink : calls::accept);
    LogprobRecorder scores =
        options.logprobs().isPresent()
            ? new LogprobRecorder(options.logprobs().getAsInt(), tokenizer.size(), tokenizer::bytes)
            : null;
    ReplyBytes reply = tokenizer.newReply();
    int[] written = new int[16]; // the reply's ids, for ReplyMemory
    int writtenCount = 0;
    int generated = 0;
    FinishReason finish = FinishReason.LENGTH;
    int[] promptTokens = prompt.tokens();
    // A sequence left by an earlier request shares a prefix with this prompt: only the rest runs.
    try (PromptCache.Lease sequence =
        promptCache.lease(promptTokens, promptTokens.length + maxNew)) {
      lastReusedTokens = sequence.reused();
      // In chunks, so that a long prompt holds up the others' decoding one step at a time.
      float[] logits = null;
      int chunk = settings.batching().prefillChunk();
      for (int start = sequence.reused(); start < promptTokens.length; start += chunk) {
        int end = Math.min(promptTokens.length, start + chunk);
        logits = sequence.append(Arrays.copyOfRange(promptTokens, start, end), slot::append);
      }
      while (generated < maxNew) {
        cancellation.throwIfCancelled();
        if (scores != null) {
          scores.observe(logits); // before the sampler changes them in place
        }
        int token = sampler.next(logits);
        generated++;
        if (runtime.endOfTextIds().contains(token)) {
          finish = FinishReason.STOP;
          break;
        }
        sampler.observe(token);
        if (writtenCount == written.length) {
          written = Arrays.copyOf(written, 2 * written.length);
        }
        written[writtenCount++] = token;
        if (scores != null) {
          scores.chosen(token, stream.textLength());
        }
        // A special token's text only matters to a tool-call parser (Mistral's [TOOL_CALLS] is
        // one);
        // otherwise it is markup, left out of the reply as Hugging Face's skip_special_tokens does.
        byte[] bytes =
            calls == null && tokenizer.isSpecial(token) ? new byte[0] : reply.next(token);
        if (stream.append(bytes)) {
          finish = FinishReason.STOP;
          if (scores != null) {
            scores.trim(stream.textLength());
          }
          break;
        }
        if (generated < maxNew) {
          logits = sequence.append(new int[] {token}, slot::append);
        }
      }
      sequence.keep(); // only a generation that ran to its end leaves its cache for the next
    }
    stream.finish();
    TokenUsage usage = new TokenUsage(prompt.tokens().length, generated);
    List<TokenLogprob> logprobs = scores == null ? List.of() : scores.entries();
    if (calls == null) {
      remember(stream.emittedText(), Arrays.copyOf(written, writtenCount));
      return new ChatResponse(
          AssistantMessage.of(stream.emittedText()),
          finish,
          usage,
          settings.modelId(),
          warnings,
          logprobs);
    }
    calls.finish();
    warnings.addAll(calls.warnings());
    boolean called = !calls.calls().isEmpty();
    if (!called) {
      remember(calls.text(), Arrays.copyOf(written, writtenCount));
    }
    return new ChatResponse(
        new AssistantMessage(calls.text(), calls.calls()),
        called ? FinishReason.TOOL_CALLS : finish,
        usage,
        settings.modelId(),
        warnings,
        logprobs);
  }

  /**
   * Keeps a reply's ids for the prompts that will carry it, when they read as exactly its text but
   * for the leading whitespace the reply's text drops (not a reply cut at a stop sequence, nor one
   * with special tokens left out of its text).
   */
  private void remember(String text, int[] ids) {
    if (tokenizer.decode(ids).stripLeading().equals(text)) {
      replies.remember(text, ids);
    }
  }

  /** The chat format's own tool-call syntax: a template's native one, else Colloquy's. */
  private ToolCallParser toolCallParser(
      ChatRequest request, java.util.function.Consumer<String> textSink, StreamListener listener) {
    int first = countToolCalls(request) + 1;
    if (settings.chatFormat() instanceof TemplateChatFormat template) {
      return new NativeToolCallStream(
          template.toolCallSyntax(), first, textSink, listener::onToolCall);
    }
    return new ToolCallStream(first, textSink, listener::onToolCall);
  }

  private static int countToolCalls(ChatRequest request) {
    int count = 0;
    for (dev.colloquy.core.message.Message message : request.messages()) {
      if (message instanceof AssistantMessage assistant) {
        count += assistant.toolCalls().size();
      }
    }
    return count;
  }

  private static void rejectUnsupported(ChatRequest request, ChatFormat format) {
    if (!request.tools().isEmpty() && !format.supportsTools()) {
      throw new NonRetryableException(
          "chat format "
              + format
              + " cannot offer tools, but the request offers "
              + request.tools().size()
              + " tool(s): build the model with ChatFormat.colloquy() (for models trained on it) or"
              + " the model's own ChatFormat.template(...) with a tool-call syntax, "
              + "remove the tools, or use a backend whose capabilities().toolCalling() is true");
    }
    if (!(request.options().responseFormat() instanceof ResponseFormat.Text)) {
      throw new NonRetryableException(
          "the local GPT-2 model cannot guarantee JSON output "
              + "(capabilities().jsonOutput() is false): ask for free text");
    }
  }

  /** Returns how many tokens of the last request's prompt came from the prompt cache. */
  int lastReusedTokens() {
    return lastReusedTokens;
  }

  /** Returns the step scheduler, for tests that watch its queue and steps. */
  StepScheduler scheduler() {
    return scheduler;
  }

  /**
   * Closes the model without waiting for requests in flight: later requests are rejected with an
   * {@link IllegalStateException}, requests waiting for a batch slot fail at once with a {@link
   * CancelledException}, and running requests fail with one before their next step (a step in
   * progress completes first). The weights, caches, tokenizer and kernel threads are released at
   * once when no request runs, else by the last running request as it leaves.
   */
  @Override
  public void close() {
    scheduler.close();
  }

  private void release() {
    promptCache.close();
    runtime.close();
    tokenizer.close();
  }

  /**
   * Builds a {@link LocalGptModel}. Each setting may be set once; a second call is rejected naming
   * the setting. {@link #build()} loads the model and leaves the builder unchanged.
   */
  public static final class Builder {
    private static final int DEFAULT_BATCH_SLOTS = 4;
    private static final int DEFAULT_MAX_QUEUED_REQUESTS = 64;
    private static final int DEFAULT_PREFILL_CHUNK_TOKENS = 64;

    private final Path directory;
    private LocalDevice device;
    private ComputeBackend backend;
    private Integer threads;
    private ChatFormat chatFormat;
    private ContextOverflow contextOverflow;
    private java.util.function.LongSupplier seedSource;
    private String modelId;
    private Integer defaultMaxTokens;
    private Long promptCacheBytes;
    private WeightFormat weights;
    private Integer batchSlots;
    private Integer maxQueuedRequests;
    private Integer prefillChunkTokens;

    Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** Sets where the model runs (default {@link LocalDevice#auto()}). */
    public Builder device(LocalDevice value) {
      once("device", device);
      device = Objects.requireNonNull(value, "device");
      return this;
    }

    /** Sets the forward-pass implementation (default {@link ComputeBackend#AUTO}). */
    public Builder backend(ComputeBackend value) {
      once("backend", backend);
      backend = Objects.requireNonNull(value, "backend");
      return this;
    }

    /**
     * Sets the CPU kernel threads of the Java backend, 1 to 256 (default: available processors).
     */
    public Builder threads(int value) {
      once("threads", threads);
      if (value < 1 || value > 256) {
        throw new IllegalArgumentException("threads must be 1 to 256, was " + value);
      }
      threads = value;
      return this;
    }

    /**
     * Sets how conversations become prompts (default: the {@code chat_format} named in
     * generation_config.json, see {@link ChatFormat#named}, else {@link ChatFormat#transcript()}).
     */
    public Builder chatFormat(ChatFormat value) {
      once("chatFormat", chatFormat);
      chatFormat = Objects.requireNonNull(value, "chatFormat");
      return this;
    }

    /** Sets what happens when a prompt does not fit (default {@link ContextOverflow#FAIL}). */
    public Builder contextOverflow(ContextOverflow value) {
      once("contextOverflow", contextOverflow);
      contextOverflow = Objects.requireNonNull(value, "contextOverflow");
      return this;
    }

    /**
     * Sets where sampling seeds come from when a request names none (default: a {@link
     * java.security.SecureRandom}, so unseeded sampling differs between calls).
     */
    public Builder seedSource(java.util.function.LongSupplier value) {
      once("seedSource", seedSource);
      seedSource = Objects.requireNonNull(value, "seedSource");
      return this;
    }

    /** Sets the model id in responses (default: the directory's name). */
    public Builder modelId(String value) {
      once("modelId", modelId);
      if (value.isBlank()) {
        throw new IllegalArgumentException("modelId must not be blank");
      }
      modelId = value;
      return this;
    }

    /**
     * Sets the reply length when a request sets no maxTokens, at least 1 (default: the
     * generation_config.json's max_new_tokens, else 256); always capped by the context window.
     */
    public Builder defaultMaxTokens(int value) {
      once("defaultMaxTokens", defaultMaxTokens);
      if (value < 1) {
        throw new IllegalArgumentException("defaultMaxTokens must be at least 1, was " + value);
      }
      defaultMaxTokens = value;
      return this;
    }

    /**
     * Sets the most bytes of KV cache kept between requests, so that the next turn of a
     * conversation (or another conversation under the same system prompt) runs only the tokens
     * after the longest prefix it shares with an earlier request; least recently used caches are
     * evicted first, and 0 turns the cache off. Replies and logprobs are the same with and without
     * it. Default: an eighth of the maximum heap ({@code Runtime.maxMemory() / 8}); on the DJL
     * engine the caches live in native (or GPU) memory, which this budget bounds too. A sequence
     * costs {@code 2 × layers × keyValueWidth × 4} bytes per position of its capacity (about 72 KiB
     * per position for GPT-2 small).
     *
     * @param value 0 or more bytes
     */
    public Builder promptCacheBytes(long value) {
      once("promptCacheBytes", promptCacheBytes);
      if (value < 0) {
        throw new IllegalArgumentException("promptCacheBytes must be at least 0, was " + value);
      }
      promptCacheBytes = value;
      return this;
    }

    /**
     * Sets how the Java engine keeps a Llama-style model's matrices (default {@link
     * WeightFormat#AS_STORED}); {@link WeightFormat#Q8_0} quantizes F32/F16/BF16 matrices at load.
     * A GPT-2 checkpoint in {@link WeightFormat#Q8_0} runs on the Java engine only ({@link
     * #build()} rejects it when the DJL engine is chosen).
     */
    public Builder weights(WeightFormat value) {
      once("weights", weights);
      weights = Objects.requireNonNull(value, "weights");
      return this;
    }

    /**
     * Sets how many requests generate at once, 1 to 1024 (default 4): their forward passes run
     * together, one batched step for all of them, so each decode step reads the weights once for
     * all. Each running request holds its own KV cache (its prompt plus reply, see {@link
     * #promptCacheBytes(long)} for the bytes per position), so this bounds that memory too; 1 runs
     * requests one at a time.
     */
    public Builder batchSlots(int value) {
      once("batchSlots", batchSlots);
      if (value < 1 || value > 1024) {
        throw new IllegalArgumentException("batchSlots must be 1 to 1024, was " + value);
      }
      batchSlots = value;
      return this;
    }

    /**
     * Sets how many requests may wait, in arrival order, while all {@link #batchSlots(int) batch
     * slots} are taken, 0 or more (default 64). A request beyond that fails at once with a {@link
     * dev.colloquy.core.resilience.CallRejectedException} of reason {@code CONCURRENCY}, which a
     * retry decorator may retry later.
     */
    public Builder maxQueuedRequests(int value) {
      once("maxQueuedRequests", maxQueuedRequests);
      if (value < 0) {
        throw new IllegalArgumentException("maxQueuedRequests must be at least 0, was " + value);
      }
      maxQueuedRequests = value;
      return this;
    }

    /**
     * Sets the most prompt tokens a request runs in one step, at least 1 (default 64): a longer
     * prompt runs over several steps, so that it delays the other requests' next token by one
     * chunk's work, not the whole prompt's. It also bounds a step's prompt tokens of all requests
     * together (prompts arriving at once take turns, in arrival order), so that several new prompts
     * delay the decoding requests by one chunk's work too. Replies are the same whatever the chunk.
     */
    public Builder prefillChunkTokens(int value) {
      once("prefillChunkTokens", prefillChunkTokens);
      if (value < 1) {
        throw new IllegalArgumentException("prefillChunkTokens must be at least 1, was " + value);
      }
      prefillChunkTokens = value;
      return this;
    }

    /**
     * Loads the model.
     *
     * @throws ModelLoadException when a file is missing or malformed, or the device is unavailable
     */
    public LocalGptModel build() {
      java.security.SecureRandom secure = new java.security.SecureRandom();
      return ModelLoader.load(
          new LocalModelSettings(
              directory,
              device == null ? LocalDevice.auto() : device,
              backend == null ? ComputeBackend.AUTO : backend,
              threads == null ? Runtime.getRuntime().availableProcessors() : threads,
              chatFormat,
              contextOverflow == null ? ContextOverflow.FAIL : contextOverflow,
              seedSource == null ? secure::nextLong : seedSource,
              modelId == null
                  ? String.valueOf(directory.toAbsolutePath().normalize().getFileName())
                  : modelId,
              defaultMaxTokens,
              promptCacheBytes == null ? Runtime.getRuntime().maxMemory() / 8 : promptCacheBytes,
              weights == null ? WeightFormat.AS_STORED : weights,
              new LocalModelSettings.Batching(
                  batchSlots == null ? DEFAULT_BATCH_SLOTS : batchSlots,
                  maxQueuedRequests == null ? DEFAULT_MAX_QUEUED_REQUESTS : maxQueuedRequests,
                  prefillChunkTokens == null ? DEFAULT_PREFILL_CHUNK_TOKENS : prefillChunkTokens)));
    }

    private static void once(String name, Object current) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set to " + current);
      }
    }
  }
}
