package dev.colloquy.model.remote.internal.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChunkStreamReaderTest {

  private final ChunkStreamReader reader = new ChunkStreamReader();

  private ChunkReader.Chunk read(String data) {
    byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
    return reader.read(bytes, bytes.length, null);
  }

  @Test
  void readsOrdinaryChunksOneAfterAnotherWithOneParser() {
    for (int i = 0; i < 3; i++) {
      ChunkReader.Chunk chunk = read("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":"
          + "[{\"index\":0,\"delta\":{\"content\":\"t" + i + "\"},\"logprobs\":null,\"finish_reason\":null}]}");

      assertThat(chunk).isNotNull();
      assertThat(chunk.content).isEqualTo("t" + i);
      assertThat(chunk.model).isEqualTo("m");
    }
  }
}
