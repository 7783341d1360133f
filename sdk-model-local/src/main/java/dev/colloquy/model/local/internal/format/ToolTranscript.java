package dev.colloquy.model.local.internal.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import dev.colloquy.core.model.ToolSpecification;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The one definition of the tool-aware transcript that Colloquy's own models are trained on and
 * prompted with; inference ({@code ChatFormat.colloquy()}) and training both render through here.
 *
 * <pre>
 * System: You are the assistant of the Acme shop.
 * Tools: orderStatus(orderId: integer) Looks up the status of an order by its number
 * User: Where is order 10234?
 * Assistant: [call orderStatus {"orderId":10234}]&lt;eot&gt;
 * Tool: {"orderId":10234,"status":"shipped","date":"2026-03-04"}
 * Assistant: Order 10234 has shipped and should arrive on 2026-03-04.&lt;eot&gt;
 * </pre>
 *
 * Each assistant reply is written after {@code "Assistant:"} with a leading space and is followed
 * by the end-of-text token, then a newline. A tool call is {@code [call NAME ARGUMENTS]} where
 * ARGUMENTS is a JSON object.
 */
public final class ToolTranscript {

  /** How a tool call starts in the model's output. */
  public static final String CALL_OPEN = "[call ";

  /** The label after which the model writes its reply. */
  public static final String REPLY_LABEL = "Assistant:";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ToolTranscript() {}

  /**
   * A piece of a rendered conversation.
   *
   * @param text the text; for a reply, without the leading space
   * @param reply whether this is an assistant reply (written by the model, followed by end-of-text)
   */
  public record Piece(String text, boolean reply) {}

  /**
   * Renders a conversation.
   *
   * @param messages the conversation, oldest first
   * @param tools the tools on offer, possibly none
   * @param openReply whether to end with the reply label, where the model's next reply begins
   * @return the pieces in order; adjacent non-reply text is merged
   */
  public static List<Piece> pieces(
      List<Message> messages, List<ToolSpecification> tools, boolean openReply) {
    List<Piece> pieces = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    boolean toolsWritten = tools.isEmpty();
    for (Message message : messages) {
      if (!toolsWritten && message.role() != Message.Role.SYSTEM) {
        appendTools(text, tools);
        toolsWritten = true;
      }
      if (message instanceof AssistantMessage assistant) {
        text.append(REPLY_LABEL);
        pieces.add(new Piece(text.toString(), false));
        text.setLength(0);
        pieces.add(new Piece(reply(assistant), true));
        text.append('\n');
      } else if (message instanceof ToolResultMessage result) {
        text.append(result.error() ? "Tool error: " : "Tool: ")
            .append(oneLine(result.text()))
            .append('\n');
      } else {
        text.append(message.role() == Message.Role.SYSTEM ? "System: " : "User: ")
            .append(oneLine(message.text()))
            .append('\n');
      }
    }
    if (!toolsWritten) {
      appendTools(text, tools);
    }
    if (openReply) {
      text.append(REPLY_LABEL);
    }
    if (!text.isEmpty()) {
      pieces.add(new Piece(text.toString(), false));
    }
    return List.copyOf(pieces);
  }

  /** Returns an assistant message as the model writes it: its tool calls, then its text. */
  public static String reply(AssistantMessage message) {
    StringBuilder reply = new StringBuilder();
    for (ToolCall call : message.toolCalls()) {
      if (!reply.isEmpty()) {
        reply.append(' ');
      }
      reply
          .append(CALL_OPEN)
          .append(call.name())
          .append(' ')
          .append(oneLine(call.arguments().strip()))
          .append(']');
    }
    if (!message.text().isBlank()) {
      if (!reply.isEmpty()) {
        reply.append(' ');
      }
      reply.append(oneLine(message.text()));
    }
    return reply.toString();
  }

  /** Returns the one-line description of a tool: {@code name(param: type, …) description}. */
  public static String describe(ToolSpecification tool) {
    StringBuilder line = new StringBuilder(tool.name()).append('(');
    JsonNode properties = tree(tool).path("properties");
    Iterator<Map.Entry<String, JsonNode>> fields = properties.properties().iterator();
    boolean first = true;
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      line.append(first ? "" : ", ")
          .append(field.getKey())
          .append(": ")
          .append(field.getValue().path("type").asText("any"));
      first = false;
    }
    line.append(')');
    if (!tool.description().isBlank()) {
      line.append(' ').append(oneLine(tool.description()));
    }
    return line.toString();
  }

  private static JsonNode tree(ToolSpecification tool) {
    try {
      return JSON.readTree(tool.parameters().toJson());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JsonSchema writes valid JSON", e);
    }
  }

  private static void appendTools(StringBuilder text, List<ToolSpecification> tools) {
    for (ToolSpecification tool : tools) {
      text.append("Tools: ").append(describe(tool)).append('\n');
    }
  }

  private static String oneLine(String text) {
    return text.strip().replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
  }
}
