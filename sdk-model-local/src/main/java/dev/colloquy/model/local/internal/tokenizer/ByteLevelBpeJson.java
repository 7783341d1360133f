package dev.colloquy.model.local.internal.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code tokenizer.json} of a GPT-2-style byte-level BPE, as the Hugging Face tokenizers
 * library reads it: byte-level pre-tokenizer, post-processor and decoder, a BPE model with the
 * given vocabulary and merges, and {@code <|endoftext|>}, when in the vocabulary, as a special
 * added token. What {@link BpeTrainer} writes and what a {@code vocab.json} + {@code merges.txt}
 * pair reads as.
 */
final class ByteLevelBpeJson {

  static final String END_OF_TEXT = "<|endoftext|>";

  private ByteLevelBpeJson() {}

  /**
   * Builds the document around a vocabulary and merges, which it takes over.
   *
   * @param vocab token text to id
   * @param merges merge rules, {@code "left right"}
   */
  static ObjectNode document(ObjectMapper mapper, ObjectNode vocab, ArrayNode merges) {
    ObjectNode root = mapper.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    if (vocab.has(END_OF_TEXT)) {
      added
          .addObject()
          .<ObjectNode>set("id", vocab.get(END_OF_TEXT))
          .put("content", END_OF_TEXT)
          .put("single_word", false)
          .put("lstrip", false)
          .put("rstrip", false)
          .put("normalized", true)
          .put("special", true);
    }
    root.putNull("normalizer");
    root.set("pre_tokenizer", byteLevel(mapper, false, true));
    root.set("post_processor", byteLevel(mapper, true, false));
    root.set("decoder", byteLevel(mapper, true, true));
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE").putNull("dropout");
    model.putNull("unk_token");
    model
        .put("continuing_subword_prefix", "")
        .put("end_of_word_suffix", "")
        .put("fuse_unk", false)
        .put("byte_fallback", false)
        .put("ignore_merges", false);
    model.set("vocab", vocab);
    model.set("merges", merges);
    return root;
  }

  private static ObjectNode byteLevel(
      ObjectMapper mapper, boolean addPrefixSpace, boolean trimOffsets) {
    ObjectNode node = mapper.createObjectNode();
    node.put("type", "ByteLevel")
        .put("add_prefix_space", addPrefixSpace)
        .put("trim_offsets", trimOffsets)
        .put("use_regex", true);
    return node;
  }
}
