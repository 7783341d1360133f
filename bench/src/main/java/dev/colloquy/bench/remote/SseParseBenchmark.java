package dev.colloquy.bench.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.guard.SecretRedactor;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.model.remote.internal.openai.ResponseAssembler;
import dev.colloquy.model.remote.internal.openai.ServerText;
import dev.colloquy.model.remote.internal.sse.SseEventParser;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing a stream of 20,000 chunks (about 406 bytes each, as OpenAI sends them), fed in 16 KiB
 * reads as the HttpClient delivers them: the SSE layer alone, and SSE plus the JSON assembly into a
 * response. Throughput in MB/s is the corpus size divided by the time per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SseParseBenchmark {

  private static final int CHUNKS = 20_000;
  private static final int READ = 16 * 1024;

  @Param({"215"})
  public int padding;

  private byte[] corpus;
  private final ObjectMapper mapper = new ObjectMapper();

  /** Builds the corpus and prints its size, to turn ms/op into MB/s. */
  @Setup
  public void build() {
    corpus = SseCorpus.stream(CHUNKS, padding).getBytes(StandardCharsets.UTF_8);
    System.out.printf(
        "%nSSE corpus: %d bytes, %d bytes per chunk%n",
        corpus.length, corpus.length / (CHUNKS + 3));
  }

  /** The event-stream layer only: lines, fields, events. */
  @Benchmark
  public void sseEventsOnly(Blackhole blackhole) {
    SseEventParser parser =
        new SseEventParser(1 << 20, (type, data, length, lastEventId) -> blackhole.consume(length));
    feed(parser);
  }

  /** The whole streaming parse: events, chunk JSON, deltas to a listener, the final response. */
  @Benchmark
  public Object sseAndJsonToResponse(Blackhole blackhole) {
    StreamListener listener = blackhole::consume;
    ResponseAssembler assembler =
        new ResponseAssembler(
            mapper, listener, "bench", "bench", new ServerText(SecretRedactor.none()));
    SseEventParser parser =
        new SseEventParser(
            1 << 20, (type, data, length, lastEventId) -> assembler.onEvent(type, data, length));
    feed(parser);
    return assembler.finish();
  }

  private void feed(SseEventParser parser) {
    for (int offset = 0; offset < corpus.length; offset += READ) {
      parser.feed(corpus, offset, Math.min(READ, corpus.length - offset));
    }
    parser.finish();
  }
}
