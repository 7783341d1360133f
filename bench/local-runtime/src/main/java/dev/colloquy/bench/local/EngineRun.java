package dev.colloquy.bench.local;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import dev.colloquy.core.Cancellation;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.TokenCounter;
import dev.colloquy.model.local.ChatFormat;
import dev.colloquy.model.local.ComputeBackend;
import dev.colloquy.model.local.LocalDevice;
import dev.colloquy.model.local.LocalGptModel;
import dev.colloquy.model.local.WeightFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One engine on one model file, in a child JVM of {@link FullBenchmark}, so that its load time,
 * peak RSS (VmHWM) and heap pool peaks are its own. It prints {@code RESULT name value} lines:
 *
 * <ul>
 *   <li>load: load ms; then, read before anything runs, heap pool peaks, live heap after a full GC
 *       and peak RSS, all "at load";
 *   <li>a warm-up, then {@code repeats} generations of a {@code prompt}-token prompt and {@code
 *       newTokens} greedy tokens: prefill tok/s (prompt tokens / time to first token) and decode
 *       tok/s (tokens after the first / the time after the first), medians;
 *   <li>{@value #CONVERSATIONS} conversations of {@code turns} turns (user messages of about 30
 *       tokens, each conversation's own from its first word, greedy replies of {@code replyTokens}):
 *       the medians over the conversations of the time to first token of turn 1 and of the last
 *       turn (one conversation's turn varies by a third from the machine alone);
 *   <li>ours only: aggregate tok/s of N conversations generating at once on the one model, for each
 *       N of {@code levels} ({@code levelTokens} each, from distinct 32-token prompts);
 *   <li>at the end, the heap pool peaks and peak RSS of the whole run.
 * </ul>
 *
 * <p>Ours runs through the public API only ({@link LocalGptModel}, DialoGPT's format so the prompt
 * is the message and an end-of-text id; the prompt cache at its default). Jlama runs on token ids
 * (as its own generate does after tokenizing: batchForward of the prompt, then forward and sample
 * per token, one KV buffer per conversation), so its tokenizer plays no part.
 */
final class EngineRun {

  /** The run's sizes, passed to the child as arguments. */
  record Settings(int threads, int prompt, int newTokens, int repeats, int turns, int replyTokens,
      List<Integer> levels, int levelTokens) {

    List<String> toArgs() {
      return List.of(Integer.toString(threads), Integer.toString(prompt), Integer.toString(newTokens),
          Integer.toString(repeats), Integer.toString(turns), Integer.toString(replyTokens),
          levels.isEmpty() ? "-" : String.join(",", levels.stream().map(String::valueOf).toList()),
          Integer.toString(levelTokens));
    }

    static Settings fromArgs(List<String> args) {
      return new Settings(Integer.parseInt(args.get(0)), Integer.parseInt(args.get(1)),
          Integer.parseInt(args.get(2)), Integer.parseInt(args.get(3)), Integer.parseInt(args.get(4)),
          Integer.parseInt(args.get(5)), args.get(6).equals("-") ? List.of()
              : java.util.Arrays.stream(args.get(6).split(",")).map(Integer::valueOf).toList(),
          Integer.parseInt(args.get(7)));
    }
  }

  /** Conversations whose turn-1 and last-turn TTFT medians are reported. */
  static final int CONVERSATIONS = 3;

  private static final String[] SALTS = {"Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf",
      "Hotel", "India", "Juliet", "Kilo", "Lima", "Mike", "November", "Oscar", "Papa", "Quebec", "Romeo",
      "Sierra", "Tango", "Uniform", "Victor", "Whiskey", "Xray", "Yankee", "Zulu"};

  private EngineRun() {}

  /**
   * @param engine ours or jlama
   * @param path the folder or GGUF file to load
   * @param quantizeAtLoad ours only: {@code WeightFormat.Q8_0} at load
   */
  static void run(String engine, Path path, boolean quantizeAtLoad, Settings settings) throws Exception {
    if (engine.equals("ours")) {
      ours(path, quantizeAtLoad, settings);
    } else {
      jlama(path, settings);
    }
    result("heap_peak_mib", Machine.heapPeakMib());
    result("rss_peak_mib", Machine.peakRssMib());
  }

  private static void result(String name, double value) {
    System.out.printf(Locale.ROOT, "RESULT %s %.3f%n", name, value);
  }

  private static void atLoad(long loadNanos) {
    result("load_ms", loadNanos / 1e6);
    result("heap_at_load_mib", Machine.heapPeakMib());
    result("rss_at_load_mib", Machine.peakRssMib());
    result("heap_live_mib", Machine.liveHeapMib());
  }

  // ---- ours, through the public API ----

  /**
   * Loads the model as {@link #ours} does (and, with {@code generate}, generates a few tokens): whether
   * the heap sufficed.
   */
  static void load(Path path, boolean quantizeAtLoad, boolean generate) throws Exception {
    LocalGptModel.Builder builder = LocalGptModel.builder(path).backend(ComputeBackend.JAVA)
        .device(LocalDevice.cpu()).chatFormat(ChatFormat.dialoGpt());
    if (quantizeAtLoad) {
      builder.weights(WeightFormat.Q8_0);
    }
    try (LocalGptModel model = builder.build()) {
      if (generate) {
        generate(model, "Hello there, how are you today?", 4);
      }
      result("loaded", 1);
    }
  }

  private static void ours(Path path, boolean quantizeAtLoad, Settings s) throws Exception {
    long start = System.nanoTime();
    LocalGptModel.Builder builder = LocalGptModel.builder(path).backend(ComputeBackend.JAVA)
        .device(LocalDevice.cpu()).threads(s.threads()).chatFormat(ChatFormat.dialoGpt())
        // As many batch slots as the most concurrent conversations, so that they all decode together
        // (the default, 4, would queue the rest).
        .batchSlots(Math.max(1, s.levels().stream().mapToInt(Integer::intValue).max().orElse(1)));
    if (quantizeAtLoad) {
      builder.weights(WeightFormat.Q8_0);
    }
    try (LocalGptModel model = builder.build()) {
      atLoad(System.nanoTime() - start);
      System.out.println("ours: " + model.runtimeDescription());
      TokenCounter counter = model.tokenCounter().orElseThrow();
      generate(model, prompt(counter, "warm", s.prompt()), 16);
      double[] prefill = new double[s.repeats()];
      double[] decode = new double[s.repeats()];
      for (int r = 0; r < s.repeats(); r++) {
        Timed run = generate(model, prompt(counter, SALTS[r % SALTS.length] + r, s.prompt()), s.newTokens());
        if (run.promptTokens() != s.prompt()) {
          throw new IllegalStateException("the prompt was " + run.promptTokens() + " tokens, not " + s.prompt());
        }
        prefill[r] = run.promptTokens() * 1e9 / run.firstNanos();
        decode[r] = (run.tokens() - 1) * 1e9 / (run.endNanos() - run.firstNanos());
        System.out.printf(Locale.ROOT, "ours: repeat %d: %d tokens, prefill %.1f tok/s, decode %.2f tok/s%n",
            r + 1, run.tokens(), prefill[r], decode[r]);
      }
      result("prefill_tps", Machine.median(prefill));
      result("decode_tps", Machine.median(decode));
      oursConversation(model, s);
      for (int level : s.levels()) {
        concurrent(model, counter, level, s);
      }
    }
  }

  private record Timed(long promptTokens, long tokens, long firstNanos, long endNanos) {}

  private static Timed generate(LocalGptModel model, String text, int maxTokens) {
    return generate(model, List.of(Message.user(text)), maxTokens, new ArrayList<>());
  }

  /** One greedy generation; the reply is added to {@code replies}. */
  private static Timed generate(LocalGptModel model, List<Message> messages, int maxTokens,
      List<Message> replies) {
    long start = System.nanoTime();
    AtomicLong first = new AtomicLong();
    ChatResponse response = model.generate(
        ChatRequest.of(messages).withOptions(ChatOptions.builder().temperature(0).maxTokens(maxTokens).build()),
        delta -> first.compareAndSet(0, System.nanoTime()), Cancellation.none());
    long end = System.nanoTime();
    replies.add(response.message());
    long firstAt = first.get() == 0 ? end : first.get();
    return new Timed(response.usage().inputTokens(), response.usage().outputTokens(), firstAt - start,
        end - start);
  }

  /** A message of {@code tokens - 1} tokens (DialoGPT's format adds the end-of-text id). */
  private static String prompt(TokenCounter counter, String salt, int tokens) {
    StringBuilder text = new StringBuilder(salt);
    while (counter.count(text.toString()) < tokens - 1) {
      text.append(" word");
    }
    if (counter.count(text.toString()) != tokens - 1) {
      throw new IllegalStateException("cannot make a " + tokens + "-token prompt from '" + text + "'");
    }
    return text.toString();
  }

  private static String userTurn(int turn) {
    return "In this conversation, turn " + turn
        + ": which of the teas in the shop would you pick for a cold evening, and why?";
  }

  private static void oursConversation(LocalGptModel model, Settings s) {
    double[][] ttft = new double[CONVERSATIONS][s.turns()];
    for (int c = 0; c < CONVERSATIONS; c++) {
      List<Message> history = new ArrayList<>();
      for (int turn = 1; turn <= s.turns(); turn++) {
        // The conversation's own first word: no conversation's turn 1 reuses another's cached prompt.
        history.add(Message.user(SALTS[c] + ". " + userTurn(turn)));
        Timed run = generate(model, List.copyOf(history), s.replyTokens(), history);
        ttft[c][turn - 1] = run.firstNanos() / 1e6;
      }
    }
    report(ttft, "ours");
  }

  private static void report(double[][] ttft, String engine) {
    int turns = ttft[0].length;
    double[] first = new double[ttft.length];
    double[] last = new double[ttft.length];
    for (int c = 0; c < ttft.length; c++) {
      first[c] = ttft[c][0];
      last[c] = ttft[c][turns - 1];
      StringBuilder line = new StringBuilder(engine + ": conversation " + (c + 1) + " TTFT by turn (ms):");
      for (double t : ttft[c]) {
        line.append(String.format(Locale.ROOT, " %.0f", t));
      }
      System.out.println(line);
    }
    result("ttft_first_ms", Machine.median(first));
    result("ttft_last_ms", Machine.median(last));
  }

  /**
   * {@code level} threads generate at once, each its own prompt. Two figures: all tokens over the
   * wall time (prompts included), and the decode rate while all of them decode: tokens streamed
   * between the last conversation's first token and the first conversation's last one, over that
   * window (streamed pieces counted as tokens in each conversation's own tokens-per-piece ratio).
   */
  private static void concurrent(LocalGptModel model, TokenCounter counter, int level, Settings s)
      throws InterruptedException {
    CountDownLatch ready = new CountDownLatch(level);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    long[][] pieces = new long[level][]; // each conversation's streamed pieces' times
    long[] tokens = new long[level];
    for (int i = 0; i < level; i++) {
      String text = prompt(counter, SALTS[i % SALTS.length] + level + "x" + i, 32);
      int conversation = i;
      Thread thread = new Thread(() -> {
        ready.countDown();
        try {
          go.await();
          List<Long> times = new ArrayList<>();
          ChatResponse response = model.generate(ChatRequest.of(List.of(Message.user(text)))
                  .withOptions(ChatOptions.builder().temperature(0).maxTokens(s.levelTokens()).build()),
              delta -> times.add(System.nanoTime()), Cancellation.none());
          tokens[conversation] = response.usage().outputTokens();
          pieces[conversation] = times.stream().mapToLong(Long::longValue).toArray();
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      threads.add(thread);
      thread.start();
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (!failures.isEmpty()) {
      throw new IllegalStateException(level + " concurrent conversations failed", failures.get(0));
    }
    long all = java.util.Arrays.stream(tokens).sum();
    result("aggregate_tps_" + level, all / seconds);
    long from = Long.MIN_VALUE;
    long to = Long.MAX_VALUE;
    for (long[] times : pieces) {
      if (times.length < 2) {
        throw new IllegalStateException("a conversation streamed fewer than 2 pieces");
      }
      from = Math.max(from, times[0]);
      to = Math.min(to, times[times.length - 1]);
    }
    double inWindow = 0;
    for (int i = 0; i < level; i++) {
      long count = 0;
      for (long t : pieces[i]) {
        count += t > from && t <= to ? 1 : 0;
      }
      inWindow += count * (tokens[i] - 1) / (double) (pieces[i].length - 1);
    }
    double decode = to > from ? inWindow * 1e9 / (to - from) : Double.NaN;
    result("decode_tps_" + level, decode);
    System.out.printf(Locale.ROOT, "ours: %d conversations at once: %d tokens in %.1f s; all decoding for"
        + " %.2f s at %.2f tok/s%n", level, all, seconds, (to - from) / 1e9, decode);
  }

  // ---- Jlama, on token ids ----

  private static void jlama(Path directory, Settings s) throws Exception {
    long start = System.nanoTime();
    // Jlama's CLI defaults: F32 working memory, I8 working quantization (Jlama itself keeps F32 or
    // BF16 for F32 and BF16 models, and uses I8 activations with its Q8 and Q4 matrices).
    AbstractModel jlama = ModelSupport.loadModel(directory.toFile(), null, DType.F32, DType.I8, Optional.empty(),
        Optional.of(s.threads()));
    try {
      atLoad(System.nanoTime() - start);
      int vocabulary = jlama.getConfig().vocabularySize;
      System.out.println("jlama: " + jlama.getClass().getSimpleName() + ", weights " + jlama.getWeights().getModelDType());
      try (KvBufferCache cache = new KvBufferCache(jlama);
          AbstractTensor logits = jlama.makeDenseTensor(vocabulary)) {
        jlamaGenerate(jlama, cache, logits, ids(0, s.prompt()), 16);
        double[] prefill = new double[s.repeats()];
        double[] decode = new double[s.repeats()];
        for (int r = 0; r < s.repeats(); r++) {
          long[] times = jlamaGenerate(jlama, cache, logits, ids(r + 1, s.prompt()), s.newTokens());
          prefill[r] = s.prompt() * 1e9 / times[0];
          decode[r] = (s.newTokens() - 1) * 1e9 / (times[1] - times[0]);
          System.out.printf(Locale.ROOT, "jlama: repeat %d: prefill %.1f tok/s, decode %.2f tok/s%n", r + 1,
              prefill[r], decode[r]);
        }
        result("prefill_tps", Machine.median(prefill));
        result("decode_tps", Machine.median(decode));
        jlamaConversation(jlama, cache, logits, s);
      }
    } finally {
      jlama.close();
    }
  }

  /** Distinct ids below 50000 (the GPT-2 tokenizer's range) for prompt {@code salt}. */
  private static int[] ids(int salt, int count) {
    int[] ids = new int[count];
    for (int i = 0; i < count; i++) {
      ids[i] = (1000 + 37 * i + 7919 * salt) % 50000;
    }
    return ids;
  }

  /** A fresh conversation: returns the nanos to the first token and to the last. */
  private static long[] jlamaGenerate(AbstractModel jlama, KvBufferCache cache, AbstractTensor logits, int[] prompt,
      int newTokens) throws Exception {
    try (KvBufferCache.KvBuffer kv = cache.getEphemeralKvBuffer()) {
      long start = System.nanoTime();
      int next = jlamaTurn(jlama, kv, logits, prompt, 0);
      long first = System.nanoTime() - start;
      jlamaReply(jlama, kv, logits, next, prompt.length, newTokens);
      return new long[] {first, System.nanoTime() - start};
    }
  }

  /** Runs {@code ids} from {@code position} and samples the next token greedily. */
  private static int jlamaTurn(AbstractModel jlama, KvBufferCache.KvBuffer kv, AbstractTensor logits, int[] ids,
      int position) {
    AbstractTensor hidden = jlama.batchForward(ids, position, kv); // [ids, width]
    try {
      return jlama.sample(hidden.slice(hidden.shape().first() - 1), 0f, 0f, logits);
    } finally {
      hidden.close();
    }
  }

  /**
   * Greedy tokens after {@code first} (sampled from the prompt, to be fed at {@code position});
   * returns the last one sampled, which is not fed.
   */
  private static int jlamaReply(AbstractModel jlama, KvBufferCache.KvBuffer kv, AbstractTensor logits, int first,
      int position, int tokens) {
    int next = first;
    for (int k = 1; k < tokens; k++) {
      AbstractTensor output = jlama.forward(next, position + k - 1, kv, Optional.empty());
      next = jlama.sample(output, 0f, 0f, logits);
      output.close();
    }
    return next;
  }

  private static void jlamaConversation(AbstractModel jlama, KvBufferCache cache, AbstractTensor logits, Settings s)
      throws Exception {
    double[][] ttft = new double[CONVERSATIONS][s.turns()];
    for (int c = 0; c < CONVERSATIONS; c++) {
      jlamaConversation(jlama, cache, logits, s, c, ttft[c]);
    }
    report(ttft, "jlama");
  }

  private static void jlamaConversation(AbstractModel jlama, KvBufferCache cache, AbstractTensor logits, Settings s,
      int conversation, double[] ttft) throws Exception {
    try (KvBufferCache.KvBuffer kv = cache.getEphemeralKvBuffer()) {
      int position = 0;
      int pending = -1; // the last reply's last token, fed with the next message (ours does the same)
      for (int turn = 1; turn <= s.turns(); turn++) {
        // about ours' user turn and its end-of-text id; each conversation its own
        int[] message = ids(100 + turn + 1000 * conversation, 31);
        if (pending >= 0) {
          int[] withPending = new int[message.length + 1];
          withPending[0] = pending;
          System.arraycopy(message, 0, withPending, 1, message.length);
          message = withPending;
        }
        long start = System.nanoTime();
        int next = jlamaTurn(jlama, kv, logits, message, position);
        ttft[turn - 1] = (System.nanoTime() - start) / 1e6;
        position += message.length;
        pending = jlamaReply(jlama, kv, logits, next, position, s.replyTokens());
        position += s.replyTokens() - 1;
      }
    }
  }
}
