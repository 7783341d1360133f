package dev.colloquy.core.model;

import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One request to a model: the conversation so far, the tools on offer and the generation options.
 *
 * <p>Validated on construction: at least one message; every tool result answers a tool call made
 * earlier in the request; tool names are unique.
 *
 * @param messages the conversation, oldest first
 * @param tools the tools the model may call, possibly none
 * @param options the generation settings
 */
public record ChatRequest(
    List<Message> messages, List<ToolSpecification> tools, ChatOptions options) {

  /** Validates and copies the fields. */
  public ChatRequest {
    messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
    tools = List.copyOf(Objects.requireNonNull(tools, "tools"));
    Objects.requireNonNull(options, "options");
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a chat request needs at least one message");
    }
    Set<String> callIds = new HashSet<>();
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      if (message instanceof AssistantMessage assistant) {
        for (ToolCall call : assistant.toolCalls()) {
          callIds.add(call.id());
        }
      } else if (message instanceof ToolResultMessage result
          && !callIds.contains(result.toolCallId())) {
        throw new IllegalArgumentException(
            "messages["
                + i
                + "] is a tool result for call id '"
                + result.toolCallId()
                + "', but no earlier assistant message made that call");
      }
    }
    Set<String> names = new HashSet<>();
    for (ToolSpecification tool : tools) {
      if (!names.add(tool.name())) {
        throw new IllegalArgumentException("tool '" + tool.name() + "' is offered twice");
      }
    }
  }

  /** Creates a request with no tools and default options. */
  public static ChatRequest of(List<Message> messages) {
    return new ChatRequest(messages, List.of(), ChatOptions.defaults());
  }

  /** Creates a request with no tools and default options. */
  public static ChatRequest of(Message... messages) {
    return of(List.of(messages));
  }

  /** Returns this request with other options. */
  public ChatRequest withOptions(ChatOptions newOptions) {
    return new ChatRequest(messages, tools, newOptions);
  }

  /** Returns this request with other messages. */
  public ChatRequest withMessages(List<Message> newMessages) {
    return new ChatRequest(newMessages, tools, options);
  }

  /** Returns the text of the last user message, or an empty string when there is none. */
  public String lastUserText() {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role() == Message.Role.USER) {
        return messages.get(i).text();
      }
    }
    return "";
  }
}
