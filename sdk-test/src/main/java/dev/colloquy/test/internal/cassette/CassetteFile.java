package dev.colloquy.test.internal.cassette;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colloquy.test.internal.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes cassette files: {@code {"format": ..., "interactions": [...]}}, pretty-printed.
 */
public final class CassetteFile {

  private CassetteFile() {}

  /**
   * Reads the interactions of a cassette.
   *
   * @throws IllegalArgumentException when the file is not a cassette, naming the file
   * @throws UncheckedIOException when it cannot be read
   */
  public static List<JsonNode> read(Path file) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cassette " + file + ": " + e.getMessage(), e);
    }
    if (root == null
        || !CassetteCodec.FORMAT.equals(root.path("format").asText())
        || !root.path("interactions").isArray()) {
      throw new IllegalArgumentException(
          file
              + " is not a cassette: expected {\"format\": \""
              + CassetteCodec.FORMAT
              + "\", \"interactions\": [...]}");
    }
    List<JsonNode> out = new ArrayList<>();
    root.path("interactions").forEach(out::add);
    return out;
  }

  /** Writes interactions, redacted by {@code redactor}, replacing the file; creates its folders. */
  public static void write(Path file, List<JsonNode> interactions, Redactor redactor) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("format", CassetteCodec.FORMAT);
    ArrayNode array = root.putArray("interactions");
    for (JsonNode interaction : interactions) {
      array.add(redactor.redact(interaction.deepCopy()));
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, Json.MAPPER.writeValueAsString(root) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write cassette " + file + ": " + e.getMessage(), e);
    }
  }
}
