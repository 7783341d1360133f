package dev.colloquy.test;

import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a model was asked and answered during a test, call by call: the record that {@link
 * CapturingChatModel} keeps and the JUnit extension prints when a test fails.
 *
 * @param exchanges the calls, oldest first
 */
public record Transcript(List<Exchange> exchanges) {

  /** Copies the list. */
  public Transcript {
    exchanges = List.copyOf(Objects.requireNonNull(exchanges, "exchanges"));
  }

  /** Returns the tokens of every answered call, added up. */
  public TokenUsage totalUsage() {
    TokenUsage total = TokenUsage.ZERO;
    for (Exchange e : exchanges) {
      if (e.response().isPresent()) {
        total = total.plus(e.response().get().usage());
      }
    }
    return total;
  }

  /**
   * Returns the conversation the last call saw, with that call's answer appended: for an agent, its
   * system prompt, history, the last user turn and the reply.
   */
  public List<Message> lastConversation() {
    if (exchanges.isEmpty()) {
      return List.of();
    }
    Exchange last = exchanges.get(exchanges.size() - 1);
    List<Message> messages = new ArrayList<>(last.request().messages());
    last.response().ifPresent(r -> messages.add(r.message()));
    return List.copyOf(messages);
  }

  /**
   * Returns every message of every call, answers included: the pool tool-call assertions search.
   */
  List<Message> allMessages() {
    List<Message> all = new ArrayList<>();
    for (Exchange e : exchanges) {
      all.addAll(e.request().messages());
      e.response().ifPresent(r -> all.add(r.message()));
    }
    return all;
  }

  /** Renders every call: the request's messages, then the answer or the failure. */
  public String render() {
    if (exchanges.isEmpty()) {
      return "(no model calls)\n";
    }
    StringBuilder s = new StringBuilder();
    for (Exchange e : exchanges) {
      s.append("--- call #").append(e.number()).append(" to ").append(e.model()).append(" ---\n");
      s.append(Transcripts.render(e.request()));
      if (e.response().isPresent()) {
        ChatResponse r = e.response().get();
        s.append("  => ").append(Transcripts.render(List.of(r.message())).strip()).append('\n');
        s.append("     finish: ")
            .append(r.finishReason())
            .append(", usage: ")
            .append(r.usage().inputTokens())
            .append(" in / ")
            .append(r.usage().outputTokens())
            .append(" out\n");
      } else {
        s.append("  => failed: ").append(e.failure().orElse("")).append('\n');
      }
    }
    return s.toString();
  }

  /**
   * One model call.
   *
   * @param number the call's number in the transcript, from 1
   * @param model the name of the model called
   * @param request what was asked
   * @param response the answer, when the call succeeded
   * @param failure the exception's class and message, when it failed
   */
  public record Exchange(
      int number,
      String model,
      ChatRequest request,
      Optional<ChatResponse> response,
      Optional<String> failure) {

    /** Validates the fields: exactly one of response and failure. */
    public Exchange {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(response, "response");
      Objects.requireNonNull(failure, "failure");
      if (response.isPresent() == failure.isPresent()) {
        throw new IllegalArgumentException(
            "an exchange holds a response or a failure, not both or neither");
      }
    }
  }
}
