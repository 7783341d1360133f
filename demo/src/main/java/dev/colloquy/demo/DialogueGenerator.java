package dev.colloquy.demo;

import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.message.ToolResultMessage;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * Writes the demo shop's training and evaluation dialogues. The same seed always gives the same
 * dialogues; a different seed gives unseen order numbers, dates and combinations of phrasings.
 *
 * <p>Each dialogue has one to three user turns. An order question becomes a call of {@code
 * orderStatus} with the number the customer gave, the tool's JSON result, and an answer worded from
 * that result. The system message is in either language, whatever the customer's (an agent has one
 * system prompt for both).
 *
 * <p>{@link #forTraining(long)} never uses the held-out phrasings (every fifth customer phrasing of
 * each intent), so an evaluation with {@link #DialogueGenerator(long)} and another seed includes
 * phrasings the model never saw.
 */
public final class DialogueGenerator {

  private static final LocalDate FIRST_DAY = LocalDate.of(2026, 1, 1);

  private final SplittableRandom random;
  private final boolean withHeldOut;
  private int calls;

  /**
   * A generator over every phrasing, for evaluations.
   *
   * @param seed the seed; the same seed writes the same dialogues
   */
  public DialogueGenerator(long seed) {
    this(seed, true);
  }

  static final List<String> EN_OPENINGS =
      List.of(
          "",
          "",
          "",
          "",
          "Hi, ",
          "Hello, ",
          "Excuse me, ",
          "Quick question: ",
          "Hey, ",
          "Sorry to bother you, ");
  static final List<String> EN_ENDINGS =
      List.of("", "", "", "", " Please.", " Thanks!", " Thank you.", " Thanks in advance.");
  static final List<String> ZH_OPENINGS =
      List.of("", "", "", "", "你好，", "您好，", "请问", "麻烦问一下，", "打扰一下，");
  static final List<String> ZH_ENDINGS = List.of("", "", "", "", "谢谢", "，谢谢！", "，麻烦了。");

  private DialogueGenerator(long seed, boolean withHeldOut) {
    this.random = new SplittableRandom(seed);
    this.withHeldOut = withHeldOut;
  }

  /** Returns a generator for training data: it never uses the held-out phrasings. */
  public static DialogueGenerator forTraining(long seed) {
    return new DialogueGenerator(seed, false);
  }

  /**
   * Returns whether a customer's phrasing is held out of training data. The question may carry the
   * polite openings and endings the generator adds and may be in lower case.
   */
  public static boolean isHeldOut(Language language, Intent intent, String question) {
    List<String> asks = Phrases.asks(language, intent);
    for (int i = 4; i < asks.size(); i += 5) {
      String[] parts = asks.get(i).split("\\{id\\}", -1);
      String core =
          parts.length == 1
              ? Pattern.quote(parts[0])
              : Pattern.quote(parts[0]) + "\\d+" + Pattern.quote(parts[1]);
      if (Pattern.compile(core, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
          .matcher(question)
          .find()) {
        return true;
      }
    }
    return false;
  }

  /** Writes {@code count} dialogues, alternating languages. */
  public List<Dialogue> generate(int count) {
    List<Dialogue> dialogues = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      dialogues.add(dialogue(i % 2 == 0 ? Language.EN : Language.ZH, 1 + random.nextInt(3)));
    }
    return dialogues;
  }

  /** Writes one dialogue with the given number of user turns. */
  public Dialogue dialogue(Language language, int turns) {
    List<Message> messages = new ArrayList<>();
    List<Intent> intents = new ArrayList<>();
    messages.add(Message.system(Phrases.system(random.nextBoolean() ? Language.EN : Language.ZH)));
    Intent[] all = Intent.values();
    for (int t = 0; t < turns; t++) {
      // Order questions come three times as often: copying the number is the hardest skill.
      int pick = random.nextInt(all.length + 2);
      Intent intent = pick >= all.length ? Intent.ORDER_STATUS : all[pick];
      intents.add(intent);
      addTurn(language, intent, messages);
    }
    return new Dialogue(language, intents, messages);
  }

  /** Returns a user question of the intent, with a fresh order number where it needs one. */
  public String question(Language language, Intent intent, int orderId) {
    List<String> asks = Phrases.asks(language, intent);
    int index;
    do {
      index = random.nextInt(asks.size());
    } while (!withHeldOut && index % 5 == 4);
    String ask = asks.get(index);
    if (!withHeldOut) {
      ask = Noise.apply(random, language, intent, ask, asks);
    }
    return decorate(language, intent, ask.replace("{id}", Integer.toString(orderId)));
  }

  // Openings, endings and lower case vary the surface so the model keys on what is asked, not on
  // the exact sentence; greetings and goodbyes keep their own words.
  private String decorate(Language language, Intent intent, String question) {
    boolean social = intent == Intent.GREETING || intent == Intent.THANKS_BYE;
    List<String> openings = language == Language.EN ? EN_OPENINGS : ZH_OPENINGS;
    List<String> endings = language == Language.EN ? EN_ENDINGS : ZH_ENDINGS;
    String text =
        (social ? "" : openings.get(random.nextInt(openings.size())))
            + question
            + (social ? "" : endings.get(random.nextInt(endings.size())));
    return language == Language.EN && random.nextInt(5) == 0 ? text.toLowerCase(Locale.ROOT) : text;
  }

  /** Returns a fresh order number: five digits. */
  public int orderId() {
    return 10_000 + random.nextInt(90_000);
  }

  private void addTurn(Language language, Intent intent, List<Message> messages) {
    int orderId = orderId();
    messages.add(Message.user(question(language, intent, orderId)));
    if (intent != Intent.ORDER_STATUS) {
      messages.add(Message.assistant(Phrases.answer(language, intent)));
      return;
    }
    ToolCall call =
        new ToolCall("call-" + (++calls), "orderStatus", "{\"orderId\":" + orderId + "}");
    messages.add(AssistantMessage.ofToolCalls(List.of(call)));
    String status = Phrases.STATUSES.get(random.nextInt(Phrases.STATUSES.size()));
    String date = FIRST_DAY.plusDays(random.nextInt(365)).toString();
    messages.add(ToolResultMessage.of(call, OrderBook.resultJson(orderId, status, date)));
    messages.add(
        Message.assistant(
            Phrases.orderAnswer(language, status)
                .replace("{id}", Integer.toString(orderId))
                .replace("{date}", date)));
  }
}
