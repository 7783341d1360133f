package dev.colloquy.model.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.colloquy.core.NonRetryableException;
import dev.colloquy.model.local.internal.checkpoint.CappedFile;
import dev.colloquy.model.local.internal.tokenizer.BpeTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds a checkpoint's own chat template and builds the chat format that renders it. */
final class ModelChatTemplates {

  /** The file newer Hugging Face releases save the template in, beside tokenizer_config.json. */
  static final String TEMPLATE_FILE = "chat_template.jinja";

  private ModelChatTemplates() {}

  /**
   * The template of a Hugging Face directory: {@code chat_template.jinja}, else {@code
   * tokenizer_config.json}'s {@code chat_template} (a string, or a list of named templates of which
   * {@code default} is taken).
   */
  static Optional<Source> fromDirectory(Path directory) {
    Path file = directory.resolve(TEMPLATE_FILE);
    if (Files.isRegularFile(file)) {
      return Optional.of(new Source(read(file), file.toString()));
    }
    Path config = directory.resolve(BpeTokenizer.CONFIG_FILE);
    if (!Files.isRegularFile(config)) {
      return Optional.empty();
    }
    JsonNode template;
    try {
      template =
          new ObjectMapper()
              .readTree(CappedFile.read(config, CappedFile.TOKENIZER_CAP, "tokenizer config"))
              .path("chat_template");
    } catch (IOException e) {
      throw new ModelLoadException(
          "cannot read tokenizer config " + config + ": " + e.getMessage(), e);
    }
    String where = config + " (chat_template)";
    if (template.isTextual()) {
      return Optional.of(new Source(template.asText(), where));
    }
    if (template.isArray()) {
      for (JsonNode named : template) {
        if (named.path("name").asText("").equals("default") && named.path("template").isTextual()) {
          return Optional.of(new Source(named.path("template").asText(), where));
        }
      }
      throw new ModelLoadException(
          "tokenizer config "
              + config
              + " lists chat templates but none named 'default': supply a ChatFormat with"
              + " LocalGptModel.Builder.chatFormat");
    }
    if (!template.isMissingNode() && !template.isNull()) {
      throw new ModelLoadException(
          "tokenizer config "
              + config
              + " has a chat_template that is neither text nor a list of named templates");
    }
    return Optional.empty();
  }

  private static String read(Path file) {
    try {
      return new String(
          CappedFile.read(file, CappedFile.TOKENIZER_CAP, "chat template"),
          java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read chat template " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The chat format of a template, with the tokenizer's begin/end-of-text tokens and its special
   * tokens (which the template may write and a user's text never becomes).
   *
   * @throws ModelLoadException naming where the template came from when the engine cannot render it
   */
  static ChatFormat format(Source source, BpeTokenizer tokenizer) {
    TemplateChatFormat.Builder builder =
        ChatFormat.template(source.text()).specialTokens(tokenizer.specialTokens());
    tokenizer.bos().ifPresent(bos -> builder.bosToken(bos.text()));
    tokenizer.eos().ifPresent(eos -> builder.eosToken(eos.text()));
    try {
      return builder.build();
    } catch (NonRetryableException | IllegalArgumentException e) {
      throw new ModelLoadException(
          "the chat template of "
              + source.where()
              + " cannot be used: "
              + e.getMessage()
              + " (supply a ChatFormat with LocalGptModel.Builder.chatFormat instead)",
          e);
    }
  }

  /**
   * A template's text and where it was read, for messages.
   *
   * @param text the Jinja template
   * @param where the file (and field) it came from
   */
  record Source(String text, String where) {}
}
