package dev.colloquy.model.remote.internal.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkStreamReaderTest {

  private static final String ORDINARY =
      "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"logprobs\":null,\"finish_reason\":null}]}";

  private final ChunkStreamReader reader = new ChunkStreamReader();

  private ChunkReader.Chunk read(String data) {
    return read(data.getBytes(StandardCharsets.UTF_8));
  }

  private ChunkReader.Chunk read(byte[] bytes) {
    return reader.read(bytes, bytes.length, null);
  }

  @Test
  void readsOrdinaryChunksOneAfterAnotherWithOneTokenizer() {
    for (int i = 0; i < 3; i++) {
      ChunkReader.Chunk chunk = read(ORDINARY.formatted("t" + i));

      assertThat(chunk).isNotNull();
      assertThat(chunk.content).isEqualTo("t" + i);
      assertThat(chunk.model).isEqualTo("m");
    }
  }

  @Test
  void decodesEscapesAndMultiByteTextAsJacksonDoes() {
    ChunkReader.Chunk chunk =
        read(ORDINARY.formatted("a\\n\\\"b\\u00e9 \u4e16\uD83D\uDE00 \\ud83d"));

    assertThat(chunk.content).isEqualTo("a\n\"b\u00e9 \u4e16\uD83D\uDE00 \uD83D");
  }

  @Test
  void leavesToTheJacksonPathWhatItDoesNotVouchFor() {
    assertThat(read("[DONE]")).as("the done marker").isNull();
    assertThat(read("{\"error\":{\"message\":\"overloaded\"}}")).as("an error object").isNull();
    assertThat(read("{\"object\":\"error\",\"message\":\"too long\"}")).as("vLLM's error").isNull();
    assertThat(read("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0}]}}]}"))
        .as("a tool-call delta, read as a tree")
        .isNull();
    assertThat(read(ORDINARY.formatted("x") + " {}")).as("more after the object").isNull();
    assertThat(read(ORDINARY.formatted("x").substring(0, 40))).as("a cut object").isNull();
    assertThat(read("{\"usage\":{\"prompt_tokens\":1.5}}"))
        .as("a float where a count is read")
        .isNull();
    assertThat(read("{\"choices\":[],\"n\":01}")).as("a leading zero").isNull();
    byte[] overlong = ORDINARY.formatted("xx").getBytes(StandardCharsets.UTF_8);
    int at = new String(overlong, StandardCharsets.ISO_8859_1).indexOf("xx");
    overlong[at] = (byte) 0xC0;
    overlong[at + 1] = (byte) 0x80;
    assertThat(read(overlong)).as("UTF-8 that Java's decoder replaces").isNull();

    assertThat(read(ORDINARY.formatted("after")).content)
        .as("and the next chunk reads as usual")
        .isEqualTo("after");
  }

  @Test
  void acceptsWhitespaceAroundTheObject() {
    assertThat(read(" \n" + ORDINARY.formatted("x") + "\r\n\t").content).isEqualTo("x");
  }

  @Test
  void chunksWithLogprobsGoToJacksonAndThoseWithoutStayOnTheFastPath() {
    String withLogprobs =
        "{\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},"
            + "\"logprobs\":{\"content\":[{\"token\":\"Hi\",\"logprob\":-0.25,"
            + "\"bytes\":[72,105],\"top_logprobs\":[]}]}}]}";
    String emptyLogprobs =
        "{\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},"
            + "\"logprobs\":{\"content\":[],\"refusal\":null},\"finish_reason\":\"stop\"}]}";

    assertThat(read(withLogprobs)).as("a fractional logprob, read by Jackson").isNull();
    assertThat(read(ORDINARY.formatted("x")).content).as("logprobs: null").isEqualTo("x");
    ChunkReader.Chunk empty = read(emptyLogprobs);
    assertThat(empty).as("an empty content list").isNotNull();
    assertThat(empty.logprobs).isEmpty();
    assertThat(empty.finishReason).isEqualTo("stop");
  }
}
