package dev.colloquy.model.local.internal.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colloquy.model.local.ModelLoadException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code tokenizer.json} (and the config) equivalent to a GGUF file's tokenizer metadata, built
 * as Hugging Face's tokenizer.json of the same family reads: for {@code "gpt2"}, byte-level BPE
 * with the pre-tokenizer {@code tokenizer.ggml.pre} names and control / user-defined tokens as
 * added tokens (special / not special); for {@code "llama"}, SentencePiece BPE with byte fallback,
 * the legacy normalizer (prepend {@code ▁}, spaces as {@code ▁}), the decoder that undoes it, every
 * token in the vocabulary and control / unknown / user-defined ones also added, and merges derived
 * from the scores when the file has none ({@link SentencePieceMerges}).
 */
final class GgufTokenizerJson {

  /** The tokenizer.json tree and the config the metadata amounts to. */
  record Built(ObjectNode json, TokenizerConfig config) {}

  private static final String LLAMA3_REGEX =
      "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}|"
          + " ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
  private static final String QWEN2_REGEX =
      "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}|"
          + " ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
  private static final List<String> LLAMA3_PRE = List.of("llama-bpe", "llama3", "llama-v3");
  private static final List<String> GPT2_PRE = List.of("default", "gpt-2", "gpt2");
  private static final String SUPPORTED_PRE =
      "llama-bpe (Llama 3), qwen2 (Qwen 2.5/3), smollm (SmolLM2), default / gpt-2 (GPT-2)";

  private GgufTokenizerJson() {}

  static Built build(Path file, GgufVocabulary vocabulary) {
    String source = "GGUF file " + file;
    boolean sentencePiece;
    switch (vocabulary.model()) {
      case "gpt2" -> sentencePiece = false;
      case "llama" -> sentencePiece = true;
      default ->
          throw new ModelLoadException(
              source
                  + " has tokenizer.ggml.model = '"
                  + vocabulary.model()
                  + "': this runtime reads 'gpt2' (byte-level BPE) and 'llama' (SentencePiece"
                  + " BPE)");
    }
    List<String> tokens = vocabulary.tokens();
    int count = tokens.size();
    if (count == 0) {
      throw new ModelLoadException(source + " has no tokenizer.ggml.tokens");
    }
    checkLength(source, "tokenizer.ggml.scores", vocabulary.scores().length, count);
    checkLength(source, "tokenizer.ggml.token_type", vocabulary.tokenTypes().length, count);
    int[] types = vocabulary.tokenTypes();
    for (int id = 0; id < types.length; id++) {
      if (types[id] < GgufVocabulary.NORMAL || types[id] > GgufVocabulary.BYTE) {
        throw new ModelLoadException(
            source
                + " gives token "
                + id
                + " "
                + TokenTable.quoted(tokens.get(id))
                + " the tokenizer.ggml.token_type "
                + types[id]
                + ": types run from 1 (normal) to 6 (byte)");
      }
    }
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    ObjectNode vocab = mapper.createObjectNode();
    Map<String, Integer> ids = new HashMap<>(count * 2);
    for (int id = 0; id < count; id++) {
      String text = tokens.get(id);
      Integer earlier = ids.putIfAbsent(text, id);
      if (earlier != null) {
        throw new ModelLoadException(
            source
                + " lists the token "
                + TokenTable.quoted(text)
                + " twice in tokenizer.ggml.tokens, at ids "
                + earlier
                + " and "
                + id
                + ": each token text must have one id");
      }
      int type = types.length == 0 ? GgufVocabulary.NORMAL : types[id];
      boolean addedToken =
          type == GgufVocabulary.CONTROL
              || type == GgufVocabulary.USER_DEFINED
              || (sentencePiece && type == GgufVocabulary.UNKNOWN);
      if (addedToken) {
        added
            .addObject()
            .put("id", id)
            .put("content", text)
            .put("single_word", false)
            .put("lstrip", false)
            .put("rstrip", false)
            .put("normalized", false)
            .put("special", type != GgufVocabulary.USER_DEFINED);
      }
      // Hugging Face keeps a byte-level tokenizer's added tokens out of its BPE vocabulary, and a
      // SentencePiece one's in it.
      if (sentencePiece || !addedToken) {
        vocab.put(text, id);
      }
    }
    Optional<String> unknown =
        tokenText(source, "unknown_token_id", vocabulary.unknownId(), tokens);
    ObjectNode model = mapper.createObjectNode();
    model.put("type", "BPE").putNull("dropout");
    if (sentencePiece) {
      root.set("normalizer", legacyNormalizer(mapper));
      root.putNull("pre_tokenizer");
      root.set("decoder", sentencePieceDecoder(mapper));
      if (unknown.isPresent()) {
        model.put("unk_token", unknown.get());
      } else {
        model.putNull("unk_token");
      }
      model.putNull("continuing_subword_prefix").putNull("end_of_word_suffix");
      model.put("fuse_unk", true).put("byte_fallback", true).put("ignore_merges", false);
    } else {
      String pre = vocabulary.pre().orElse("default");
      preTokenizer(source, mapper, root, pre);
      root.set("decoder", byteLevel(mapper, true, true, true));
      model.putNull("unk_token");
      model.put("continuing_subword_prefix", "").put("end_of_word_suffix", "");
      model
          .put("fuse_unk", false)
          .put("byte_fallback", false)
          .put("ignore_merges", LLAMA3_PRE.contains(pre));
    }
    root.putNull("post_processor");
    model.set("vocab", vocab);
    model.set("merges", merges(source, mapper, vocabulary, sentencePiece, ids));
    root.set("model", model);
    boolean addBosByDefault =
        sentencePiece || LLAMA3_PRE.contains(vocabulary.pre().orElse("default"));
    TokenizerConfig config =
        new TokenizerConfig(
            tokenText(source, "bos_token_id", vocabulary.bosId(), tokens),
            tokenText(source, "eos_token_id", vocabulary.eosId(), tokens),
            tokenText(source, "padding_token_id", vocabulary.paddingId(), tokens),
            Optional.of(vocabulary.addBosToken().orElse(addBosByDefault)),
            Optional.empty());
    return new Built(root, config);
  }

  private static ArrayNode merges(
      String source,
      ObjectMapper mapper,
      GgufVocabulary vocabulary,
      boolean sentencePiece,
      Map<String, Integer> ids) {
    ArrayNode merges = mapper.createArrayNode();
    if (vocabulary.merges().isEmpty() && sentencePiece) {
      if (vocabulary.scores().length == 0) {
        throw new ModelLoadException(
            source
                + " has neither tokenizer.ggml.merges nor tokenizer.ggml.scores: a 'llama'"
                + " tokenizer needs one of them to know which pieces merge first");
      }
      for (SentencePieceMerges.Merge merge :
          SentencePieceMerges.derive(vocabulary.tokens(), vocabulary.scores(), ids)) {
        merges.addArray().add(merge.left()).add(merge.right());
      }
      return merges;
    }
    int index = 0;
    for (String merge : vocabulary.merges()) {
      int space = merge.indexOf(' ');
      if (space <= 0 || space == merge.length() - 1 || merge.indexOf(' ', space + 1) >= 0) {
        throw new ModelLoadException(
            source
                + " has tokenizer.ggml.merges["
                + index
                + "] = "
                + TokenTable.quoted(merge)
                + ": each merge must be two tokens separated by one space");
      }
      merges.addArray().add(merge.substring(0, space)).add(merge.substring(space + 1));
      index++;
    }
    return merges;
  }

  private static void preTokenizer(
      String source, ObjectMapper mapper, ObjectNode root, String pre) {
    root.putNull("normalizer");
    if (LLAMA3_PRE.contains(pre)) {
      root.set("pre_tokenizer", splitThenBytes(mapper, LLAMA3_REGEX));
    } else if (pre.equals("qwen2")) {
      root.set("normalizer", mapper.createObjectNode().put("type", "NFC"));
      root.set("pre_tokenizer", splitThenBytes(mapper, QWEN2_REGEX));
    } else if (pre.equals("smollm")) {
      ObjectNode sequence = mapper.createObjectNode().put("type", "Sequence");
      ArrayNode steps = sequence.putArray("pretokenizers");
      steps.addObject().put("type", "Digits").put("individual_digits", true);
      steps.add(byteLevel(mapper, false, true, true));
      root.set("pre_tokenizer", sequence);
    } else if (GPT2_PRE.contains(pre)) {
      root.set("pre_tokenizer", byteLevel(mapper, false, true, true));
    } else {
      throw new ModelLoadException(
          source
              + " has tokenizer.ggml.pre = '"
              + pre
              + "', a pre-tokenizer this runtime does not know; it knows "
              + SUPPORTED_PRE
              + ". Put the model's tokenizer.json beside the GGUF file instead");
    }
  }

  private static ObjectNode splitThenBytes(ObjectMapper mapper, String regex) {
    ObjectNode sequence = mapper.createObjectNode().put("type", "Sequence");
    ArrayNode steps = sequence.putArray("pretokenizers");
    ObjectNode split = steps.addObject().put("type", "Split");
    split.putObject("pattern").put("Regex", regex);
    split.put("behavior", "Isolated").put("invert", false);
    steps.add(byteLevel(mapper, false, false, false));
    return sequence;
  }

  private static ObjectNode byteLevel(
      ObjectMapper mapper, boolean addPrefixSpace, boolean trimOffsets, boolean useRegex) {
    return mapper
        .createObjectNode()
        .put("type", "ByteLevel")
        .put("add_prefix_space", addPrefixSpace)
        .put("trim_offsets", trimOffsets)
        .put("use_regex", useRegex);
  }

  private static ObjectNode legacyNormalizer(ObjectMapper mapper) {
    ObjectNode sequence = mapper.createObjectNode().put("type", "Sequence");
    ArrayNode steps = sequence.putArray("normalizers");
    steps.addObject().put("type", "Prepend").put("prepend", "\u2581");
    ObjectNode replace = steps.addObject().put("type", "Replace");
    replace.putObject("pattern").put("String", " ");
    replace.put("content", "\u2581");
    return sequence;
  }

  private static ObjectNode sentencePieceDecoder(ObjectMapper mapper) {
    ObjectNode sequence = mapper.createObjectNode().put("type", "Sequence");
    ArrayNode steps = sequence.putArray("decoders");
    ObjectNode replace = steps.addObject().put("type", "Replace");
    replace.putObject("pattern").put("String", "\u2581");
    replace.put("content", " ");
    steps.addObject().put("type", "ByteFallback");
    steps.addObject().put("type", "Fuse");
    steps.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
    return sequence;
  }

  private static void checkLength(String source, String key, int length, int count) {
    if (length != 0 && length != count) {
      throw new ModelLoadException(
          source
              + " has "
              + length
              + " entries in "
              + key
              + " but "
              + count
              + " in tokenizer.ggml.tokens: they must be one per token");
    }
  }

  private static Optional<String> tokenText(
      String source, String key, OptionalInt id, List<String> tokens) {
    if (id.isEmpty()) {
      return Optional.empty();
    }
    if (id.getAsInt() < 0 || id.getAsInt() >= tokens.size()) {
      throw new ModelLoadException(
          source
              + " has tokenizer.ggml."
              + key
              + " = "
              + id.getAsInt()
              + ", but token ids run from 0 to "
              + (tokens.size() - 1));
    }
    return Optional.of(tokens.get(id.getAsInt()));
  }
}
