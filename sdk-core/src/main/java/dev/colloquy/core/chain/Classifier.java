package dev.colloquy.core.chain;

import dev.colloquy.core.NonRetryableException;
import dev.colloquy.core.internal.trace.TracedChatModel;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatOptions;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.StreamListener;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** The classification step behind {@link Chain#classify}. */
final class Classifier {

  private static final ChatOptions OPTIONS =
      ChatOptions.builder().temperature(0).maxTokens(16).build();

  private Classifier() {}

  static <O> Chain<String, O> classify(
      ChatModel model, Map<String, ? extends Chain<? super String, ? extends O>> routes) {
    Objects.requireNonNull(model, "model");
    if (routes.isEmpty()) {
      throw new IllegalArgumentException("classify needs at least one label");
    }
    List<String> labels = List.copyOf(routes.keySet());
    String instruction =
        "Classify the user's message into exactly one of these labels: "
            + String.join(", ", labels)
            + ". Reply with the label only.";
    return (input, context) -> {
      context.cancellation().throwIfCancelled();
      ChatRequest request =
          new ChatRequest(
              List.of(Message.system(instruction), Message.user(input)), List.of(), OPTIONS);
      String reply =
          TracedChatModel.generateInCurrent(
                  model, request, StreamListener.NONE, context.cancellation())
              .text();
      String label = match(reply, labels);
      if (label == null) {
        throw new NonRetryableException(
            "classification failed: the model replied \""
                + reply.strip()
                + "\", which is none of the labels "
                + labels);
      }
      return routes.get(label).run(input, context);
    };
  }

  private static String match(String reply, List<String> labels) {
    String normalized = normalize(reply);
    for (String label : labels) {
      if (normalize(label).equals(normalized)) {
        return label;
      }
    }
    return null;
  }

  private static String normalize(String text) {
    return text.strip().replaceAll("[\\s\\p{Punct}]", "").toLowerCase(Locale.ROOT);
  }
}
