package dev.colloquy.test;

import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ToolSpecification;
import java.util.ArrayList;
import java.util.List;

/** Renders requests and conversations as readable text, for failure messages. */
public final class Transcripts {

  private Transcripts() {}

  /** Renders a request: its messages, one per line, then the tools and options. */
  public static String render(ChatRequest request) {
    StringBuilder out = new StringBuilder(render(request.messages()));
    if (!request.tools().isEmpty()) {
      out.append("  tools:");
      for (ToolSpecification tool : request.tools()) {
        out.append(' ').append(tool.name());
      }
      out.append('\n');
    }
    out.append("  options: ").append(request.options()).append('\n');
    return out.toString();
  }

  /** Renders messages, one per line, as {@code role: text}. */
  public static String render(List<Message> messages) {
    StringBuilder out = new StringBuilder();
    for (Message message : messages) {
      out.append("  ")
          .append(message.role().name().toLowerCase(java.util.Locale.ROOT))
          .append(": ");
      if (message instanceof ToolResultMessage result) {
        out.append('[')
            .append(result.toolName())
            .append('#')
            .append(result.toolCallId())
            .append(result.error() ? " error" : "")
            .append("] ");
      }
      out.append(message.text().replace("\n", "\\n"));
      if (message instanceof AssistantMessage assistant) {
        for (ToolCall call : assistant.toolCalls()) {
          out.append(" [call ")
              .append(call.name())
              .append('#')
              .append(call.id())
              .append(' ')
              .append(call.arguments())
              .append(']');
        }
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** Returns every tool call the assistant messages make, in order. */
  public static List<ToolCall> toolCalls(List<Message> messages) {
    List<ToolCall> calls = new ArrayList<>();
    for (Message message : messages) {
      if (message instanceof AssistantMessage assistant) {
        calls.addAll(assistant.toolCalls());
      }
    }
    return List.copyOf(calls);
  }
}
