package dev.colloquy.bench.remote;

/** Builds OpenAI-style event streams of a chosen length for the benchmarks. */
final class SseCorpus {

  private SseCorpus() {
  }

  /**
   * Returns a complete stream of {@code chunks} content chunks, then finish, usage and [DONE].
   *
   * @param padding extra characters of content per chunk, to reach a realistic chunk size
   */
  static String stream(int chunks, int padding) {
    StringBuilder s = new StringBuilder();
    String pad = "x".repeat(padding);
    for (int i = 0; i < chunks; i++) {
      s.append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench\","
          + "\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word")
          .append(i).append(pad).append("\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    }
    s.append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench\","
        + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
    s.append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench\","
        + "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":" + chunks + "}}\n\n");
    s.append("data: [DONE]\n\n");
    return s.toString();
  }
}
