package dev.colloquy.test;

import dev.colloquy.core.model.ChatRequest;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/** A rule of a {@link ScriptedChatModel}: which requests it answers, and how. */
record ScriptRule(
    String name,
    int priority,
    Predicate<ChatRequest> predicate,
    Function<ChatRequest, ScriptedReply> answer) {

  ScriptRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(predicate, "predicate");
    Objects.requireNonNull(answer, "answer");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a rule's name must not be blank");
    }
  }

  boolean matches(ChatRequest request) {
    return predicate.test(request);
  }

  /** The failure message of strict mode: what was asked and what was tried. */
  static String unscriptedView(ChatRequest request, int callNumber, List<ScriptRule> rules) {
    StringBuilder s = new StringBuilder();
    s.append("Unscripted request: call #")
        .append(callNumber)
        .append(" to the scripted model matched no rule, and no reply was queued.\n");
    s.append("What was asked:\n").append(Transcripts.render(request));
    if (rules.isEmpty()) {
      s.append("Rules tried: none.\n");
    } else {
      s.append("Rules tried, highest priority first:\n");
      for (ScriptRule rule : rules) {
        s.append("  ").append(rule.name).append(" (priority ").append(rule.priority).append(")\n");
      }
    }
    s.append("Script this call with reply(...), a rule, or otherwise(...).");
    return s.toString();
  }
}
