package dev.colloquy.bench.remote;

/** Builds OpenAI-style event streams of a chosen length for the benchmarks. */
final class SseCorpus {

  private SseCorpus() {}

  /**
   * Returns a complete stream of {@code chunks} content chunks, then finish, usage and [DONE].
   *
   * @param padding extra characters of content per chunk, to reach a realistic chunk size
   */
  static String stream(int chunks, int padding) {
    StringBuilder s = new StringBuilder();
    String pad = "x".repeat(padding);
    for (int i = 0; i < chunks; i++) {
      s.append(
              "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench\","
                  + "\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word")
          .append(i)
          .append(pad)
          .append("\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n");
    }
    s.append(
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench\","
            + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
    s.append(
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench\","
            + "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":"
            + chunks
            + "}}\n\n");
    s.append("data: [DONE]\n\n");
    return s.toString();
  }

  /**
   * Returns the events of a streamed OpenAI reply, each {@code data: ...} with its blank line: the
   * role chunk, {@code chunks} content chunks of exactly {@code charsPerChunk} ASCII characters (a
   * counter, then letters), the finish chunk, the usage chunk and {@code [DONE]}. The chunks carry
   * the fields OpenAI sends (id, created, model, system fingerprint, logprobs), 300 bytes each for
   * 20 characters of text.
   */
  static String[] openAiEvents(int chunks, int charsPerChunk) {
    if (charsPerChunk < 8) {
      throw new IllegalArgumentException("charsPerChunk must be at least 8, was " + charsPerChunk);
    }
    String head =
        "data: {\"id\":\"chatcmpl-Bx7pQmW3rKz9LtVf2HsNd8aYcE1Ug\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1764950400,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\","
            + "\"system_fingerprint\":\"fp_7c2a91e4b3\",\"choices\":[";
    String letters = "abcdefghijklmnopqrstuvwxyz".repeat(1 + charsPerChunk / 26);
    String[] events = new String[chunks + 4];
    events[0] =
        head
            + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
            + "\"logprobs\":null,\"finish_reason\":null}]}\n\n";
    for (int i = 0; i < chunks; i++) {
      String counter = " " + i;
      String content = counter + letters.substring(0, charsPerChunk - counter.length());
      events[i + 1] =
          head
              + "{\"index\":0,\"delta\":{\"content\":\""
              + content
              + "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
    }
    events[chunks + 1] =
        head + "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n";
    events[chunks + 2] =
        head
            + "],\"usage\":{\"prompt_tokens\":24,\"completion_tokens\":"
            + chunks
            + ",\"total_tokens\":"
            + (chunks + 24)
            + "}}\n\n";
    events[chunks + 3] = "data: [DONE]\n\n";
    return events;
  }
}
