package dev.colloquy.demo;

import dev.colloquy.core.Cancellation;
import dev.colloquy.core.guard.SecretRedactor;
import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.UserMessage;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.ChatRequest;
import dev.colloquy.core.model.ChatResponse;
import dev.colloquy.core.model.ModelCapabilities;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.core.model.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the demo shop's replies in the customer's language (issue 19). The shop answers with a
 * closed set of sentences (one fixed answer per intent, one order answer per status), each in
 * English and Chinese; a reply made only of those sentences, some in the other language than the
 * customer's message, is given with each sentence in the customer's language instead. Any other
 * reply is given as the model wrote it.
 *
 * <p>The language of a message is Chinese when it has a Han character, English when it has other
 * letters, as the model was trained (in a dialogue that switches language, each answer follows its
 * own question); a message without letters takes the conversation's language ({@link #of}). To
 * check a reply before the customer sees it, the text is held until the model has finished and then
 * streamed as one delta; tool calls pass at once. The demo's replies are a few dozen tokens.
 */
final class CustomerLanguage implements ChatModel {

  /** One sentence of the shop: an intent's fixed answer, or a status's order answer. */
  private record Sentence(Intent intent, String status, Language language, Pattern pattern) {}

  /** A sentence found in a reply, with the order's number and date where it has them. */
  private record Part(Sentence sentence, String id, String date) {}

  private static final List<Sentence> SENTENCES = sentences();

  private final ChatModel model;

  CustomerLanguage(ChatModel model) {
    this.model = model;
  }

  private static List<Sentence> sentences() {
    List<Sentence> all = new ArrayList<>();
    for (Language language : Language.values()) {
      for (Intent intent : Intent.values()) {
        if (intent != Intent.ORDER_STATUS) {
          String answer = Phrases.answer(language, intent);
          all.add(new Sentence(intent, null, language, Pattern.compile(Pattern.quote(answer))));
        }
      }
      for (String status : Phrases.STATUSES) {
        String template = Pattern.quote(Phrases.orderAnswer(language, status));
        String pattern =
            template
                .replace("{id}", "\\E(?<id>[0-9]{5})\\Q")
                .replace("{date}", "\\E(?<date>[0-9]{4}-[0-9]{2}-[0-9]{2})\\Q");
        all.add(new Sentence(Intent.ORDER_STATUS, status, language, Pattern.compile(pattern)));
      }
    }
    return List.copyOf(all);
  }

  /**
   * The reply in the customer's language, or the reply itself when it is not all shop sentences.
   */
  static String inLanguage(String reply, Language customer) {
    List<Part> parts = parse(reply);
    if (parts.isEmpty() || parts.stream().allMatch(p -> p.sentence().language() == customer)) {
      return reply;
    }
    List<String> sentences = new ArrayList<>();
    for (Part part : parts) {
      Sentence sentence = part.sentence();
      sentences.add(
          sentence.intent() == Intent.ORDER_STATUS
              ? Phrases.orderAnswer(customer, sentence.status())
                  .replace("{id}", part.id())
                  .replace("{date}", part.date())
              : Phrases.answer(customer, sentence.intent()));
    }
    return String.join(customer == Language.EN ? " " : "", sentences);
  }

  /** Splits a reply into shop sentences (joined directly or by one space); empty if it is not. */
  private static List<Part> parse(String reply) {
    List<Part> parts = new ArrayList<>();
    int at = 0;
    while (at < reply.length()) {
      if (reply.charAt(at) == ' ' && !parts.isEmpty()) {
        at++;
        continue;
      }
      Part found = null;
      for (Sentence sentence : SENTENCES) {
        Matcher matcher = sentence.pattern().matcher(reply).region(at, reply.length());
        if (matcher.lookingAt()) {
          boolean order = sentence.intent() == Intent.ORDER_STATUS;
          found =
              new Part(
                  sentence, order ? matcher.group("id") : "", order ? matcher.group("date") : "");
          at = matcher.end();
          break;
        }
      }
      if (found == null) {
        return List.of();
      }
      parts.add(found);
    }
    return parts;
  }

  /**
   * The customer's language in a conversation: that of their latest message with letters (Chinese
   * when it has a Han character), so that a message of digits alone ("1234") is answered in the
   * conversation's language; English when no message has letters.
   */
  static Language of(List<Message> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i) instanceof UserMessage user) {
        Optional<Language> written = written(user.text());
        if (written.isPresent()) {
          return written.get();
        }
      }
    }
    return Language.EN;
  }

  private static Optional<Language> written(String text) {
    if (text.codePoints()
        .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)) {
      return Optional.of(Language.ZH);
    }
    return text.codePoints().anyMatch(Character::isLetter)
        ? Optional.of(Language.EN)
        : Optional.empty();
  }

  @Override
  public ChatResponse generate(
      ChatRequest request, StreamListener listener, Cancellation cancellation) {
    ChatResponse response =
        model.generate(
            request,
            new StreamListener() {
              @Override
              public void onText(String delta) {
                // Held: the whole reply is checked first.
              }

              @Override
              public void onToolCall(ToolCall call) {
                listener.onToolCall(call);
              }
            },
            cancellation);
    AssistantMessage message = response.message();
    String text =
        message.hasToolCalls()
            ? message.text()
            : inLanguage(message.text(), of(request.messages()));
    if (!text.isEmpty()) {
      listener.onText(text);
    }
    if (text.equals(message.text())) {
      return response;
    }
    return new ChatResponse(
        new AssistantMessage(text, message.toolCalls()),
        response.finishReason(),
        response.usage(),
        response.modelId(),
        response.warnings(),
        List.of());
  }

  @Override
  public ModelCapabilities capabilities() {
    return model.capabilities();
  }

  @Override
  public Optional<ChatModel> withoutOwnRetries() {
    return model.withoutOwnRetries().map(CustomerLanguage::new);
  }

  @Override
  public Optional<SecretRedactor> secretRedactor() {
    return model.secretRedactor();
  }

  @Override
  public Optional<TokenCounter> tokenCounter() {
    return model.tokenCounter();
  }

  @Override
  public String toString() {
    return "CustomerLanguage(" + model + ")";
  }
}
