package dev.colloquy.model.local.internal.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colloquy.model.local.ModelLoadException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a {@code tokenizer.json}'s pipeline means for decoding and for text that follows a special
 * token: byte-level or SentencePiece tokens, whether the decoder strips the space that encoding
 * prepended, whether the tokenizer's post-processor adds a bos token, and whether encoding a text
 * depends on where it starts (a Metaspace pre-tokenizer with {@code prepend_scheme: "first"}
 * prepends {@code ▁} only to text at the start of the input).
 */
record TokenizerShape(
    TokenTable.Kind kind,
    boolean byteFallback,
    boolean stripsLeadingSpace,
    Optional<String> postProcessorBos,
    boolean prependsOnlyAtStart) {

  private static final String METASPACE = "\u2581";

  static TokenizerShape of(String source, ObjectNode json) {
    List<JsonNode> decoders = flatten(json.path("decoder"), "decoders");
    List<JsonNode> preTokenizers = flatten(json.path("pre_tokenizer"), "pretokenizers");
    boolean byteLevel =
        has(decoders, "ByteLevel") || (decoders.isEmpty() && has(preTokenizers, "ByteLevel"));
    boolean metaspaceDecoder = has(decoders, "Metaspace");
    boolean replaceMetaspace =
        decoders.stream()
            .anyMatch(
                d ->
                    type(d).equals("Replace")
                        && d.path("pattern").path("String").asText("").equals(METASPACE)
                        && d.path("content").asText("").equals(" "));
    TokenTable.Kind kind;
    boolean strips = false;
    if (byteLevel) {
      kind = TokenTable.Kind.BYTE_LEVEL;
    } else if (metaspaceDecoder || replaceMetaspace) {
      kind = TokenTable.Kind.SENTENCE_PIECE;
      for (JsonNode decoder : decoders) {
        if (type(decoder).equals("Strip")
            && decoder.path("content").asText("").equals(" ")
            && decoder.path("start").asInt(0) >= 1) {
          strips = true;
        }
        if (type(decoder).equals("Metaspace") && prepends(decoder)) {
          strips = true;
        }
      }
    } else {
      throw new ModelLoadException(
          source
              + " has the decoder "
              + (decoders.isEmpty()
                  ? "(none)"
                  : decoders.stream().map(TokenizerShape::type).toList().toString())
              + ", which this runtime does not decode: it reads byte-level BPE (GPT-2, Llama 3,"
              + " Qwen, SmolLM; a ByteLevel decoder) and SentencePiece BPE (Llama 2, Mistral,"
              + " TinyLlama; a Metaspace decoder, or Replace '▁' with ' ')");
    }
    boolean prependsOnlyAtStart =
        preTokenizers.stream()
            .anyMatch(
                p ->
                    type(p).equals("Metaspace")
                        && p.path("prepend_scheme").asText("").equals("first"));
    return new TokenizerShape(
        kind,
        json.path("model").path("byte_fallback").asBoolean(false),
        strips,
        postProcessorBos(json.path("post_processor")),
        prependsOnlyAtStart);
  }

  /** A copy of the document whose Metaspace pre-tokenizers never prepend {@code ▁}. */
  static ObjectNode withoutPrepending(ObjectNode json) {
    ObjectNode copy = json.deepCopy();
    for (JsonNode preTokenizer : flatten(copy.path("pre_tokenizer"), "pretokenizers")) {
      if (type(preTokenizer).equals("Metaspace") && preTokenizer instanceof ObjectNode object) {
        object.put("prepend_scheme", "never");
      }
    }
    return copy;
  }

  private static boolean prepends(JsonNode metaspace) {
    String scheme = metaspace.path("prepend_scheme").asText("");
    return scheme.isEmpty()
        ? metaspace.path("add_prefix_space").asBoolean(true)
        : !scheme.equals("never");
  }

  /** The special token a TemplateProcessing post-processor puts before a single text, if any. */
  private static Optional<String> postProcessorBos(JsonNode postProcessor) {
    for (JsonNode processor : flatten(postProcessor, "processors")) {
      if (type(processor).equals("TemplateProcessing")) {
        JsonNode first = processor.path("single").path(0);
        if (first.has("SpecialToken")) {
          return Optional.of(first.path("SpecialToken").path("id").asText());
        }
      }
    }
    return Optional.empty();
  }

  private static List<JsonNode> flatten(JsonNode node, String childrenKey) {
    List<JsonNode> result = new ArrayList<>();
    if (node == null || !node.isObject()) {
      return result;
    }
    if (type(node).equals("Sequence")) {
      for (JsonNode child : node.path(childrenKey)) {
        result.addAll(flatten(child, childrenKey));
      }
    } else {
      result.add(node);
    }
    return result;
  }

  private static boolean has(List<JsonNode> nodes, String type) {
    return nodes.stream().anyMatch(node -> type(node).equals(type));
  }

  private static String type(JsonNode node) {
    return node.path("type").asText("");
  }
}
