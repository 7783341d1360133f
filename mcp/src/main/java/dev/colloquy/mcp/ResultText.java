package dev.colloquy.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the model reads of an MCP tool result: the text of its content blocks, in order, one per
 * line group; a placeholder for what text cannot carry (images, audio, binary resources); the
 * structured content as compact JSON when the result has no content blocks (a server that sends
 * both puts the same JSON in a text block, as the protocol asks).
 */
final class ResultText {
  private ResultText() {}

  /** Returns the result's text; {@code null} (the core writes "done") when it has nothing. */
  static String of(McpSchema.CallToolResult result, McpJsonMapper mapper) throws IOException {
    List<String> parts = new ArrayList<>();
    if (result.content() != null) {
      for (McpSchema.Content content : result.content()) {
        if (content != null) {
          parts.add(text(content));
        }
      }
    }
    if (parts.isEmpty() && result.structuredContent() != null) {
      parts.add(mapper.writeValueAsString(result.structuredContent()));
    }
    return parts.isEmpty() ? null : String.join("\n", parts);
  }

  private static String text(McpSchema.Content content) {
    if (content instanceof McpSchema.TextContent text) {
      return text.text() == null ? "" : text.text();
    }
    if (content instanceof McpSchema.ImageContent image) {
      return "[image: " + image.mimeType() + ", " + decodedBytes(image.data()) + " bytes]";
    }
    if (content instanceof McpSchema.AudioContent audio) {
      return "[audio: " + audio.mimeType() + ", " + decodedBytes(audio.data()) + " bytes]";
    }
    if (content instanceof McpSchema.EmbeddedResource embedded) {
      McpSchema.ResourceContents resource = embedded.resource();
      if (resource instanceof McpSchema.TextResourceContents text) {
        return "[resource: " + text.uri() + "]\n" + (text.text() == null ? "" : text.text());
      }
      if (resource instanceof McpSchema.BlobResourceContents blob) {
        return "[resource: "
            + blob.uri()
            + ", "
            + blob.mimeType()
            + ", "
            + decodedBytes(blob.blob())
            + " bytes]";
      }
      return "[resource]";
    }
    if (content instanceof McpSchema.ResourceLink link) {
      return "[resource link: "
          + link.uri()
          + (link.name() == null ? "" : " (" + link.name() + ")")
          + (link.description() == null ? "" : ": " + link.description())
          + "]";
    }
    return "[" + content.type() + " content]";
  }

  // The size of base64 data once decoded, without decoding it.
  private static long decodedBytes(String base64) {
    if (base64 == null) {
      return 0;
    }
    int padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
    return Math.max(0, (long) base64.length() * 3 / 4 - padding);
  }
}
