package dev.colloquy.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.colloquy.core.message.ToolCall;
import dev.colloquy.demo.FrozenEvaluation.Case;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The frozen hand-written evaluation set (issue 19): frozen, big enough, disjoint from every
 * phrasing the training generator writes, and scored strictly. The scoring run itself is a command
 * (docs/local.md), not a test.
 */
class FrozenEvaluationSetTest {

  // The set was written on 2026-12-06 before any further training change. It is never edited: a
  // new set is a new file. This pin fails when the file changes.
  private static final String SHA_256 =
      "9d4298953ea99f367889a0529efa2be143dfb0ded921ada91b06bd6b1dab8ebd";

  @Test
  void theSetIsFrozen() throws IOException, NoSuchAlgorithmException {
    assertThat(sha256(FrozenEvaluation.RESOURCE))
        .as("frozen-eval-v1.tsv must never change")
        .isEqualTo(SHA_256);
  }

  /** Returns the SHA-256 of a class-path resource, in hex; also used for version 2. */
  static String sha256(String resource) throws IOException, NoSuchAlgorithmException {
    byte[] bytes;
    try (InputStream in = FrozenEvaluation.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      bytes = in.readAllBytes();
    }
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void theSetHasTheSizesTheIssueAsksFor() {
    List<Case> cases = FrozenEvaluation.cases();

    for (Language language : Language.values()) {
      List<Case> single =
          cases.stream()
              .filter(c -> c.group().equals("single") && c.language() == language)
              .toList();
      assertThat(single).hasSizeGreaterThanOrEqualTo(150);
      Set<String> intents = new HashSet<>();
      single.forEach(c -> intents.add(c.expectation().replaceAll(":\\d+", "")));
      // The set was written for the eight intents there were then; ASK_ORDER_ID came after it.
      assertThat(intents).hasSize(8);
    }
    assertThat(
            cases.stream()
                .filter(c -> c.group().equals("dialogue"))
                .map(Case::conversation)
                .distinct())
        .hasSizeGreaterThanOrEqualTo(40);
    assertThat(
            cases.stream()
                .filter(c -> c.group().equals("off-domain") || c.group().equals("adversarial")))
        .hasSizeGreaterThanOrEqualTo(40);
    assertThat(cases.stream().map(Case::id).distinct()).hasSize(cases.size());
    for (Case c : cases) {
      assertThat(c.group()).isIn("single", "dialogue", "off-domain", "adversarial");
      assertThat(c.expectation())
          .matches("ORDER_STATUS:[1-9][0-9]{4}|NO_TOOL|" + String.join("|", intentNames()));
    }
  }

  // No message of the set may be one the generator can write: compared after case, punctuation and
  // whitespace are dropped, with the generator's openings, endings, preambles and filler words
  // taken off, against every template ({id} standing for any number) and every template with one
  // word (English) or one character (Chinese) left out, as Noise does.
  @Test
  void noMessageOfTheSetIsAGeneratorPhrasing() {
    assertThat(clashes(FrozenEvaluation.cases())).isEmpty();
  }

  /**
   * Returns the messages of a set that the training generator can write, each with the template it
   * matches; also used for the development set.
   */
  static List<String> clashes(List<Case> cases) {
    List<String> clashes = new ArrayList<>();
    java.util.Map<Language, List<Pattern>> byLanguage = new java.util.EnumMap<>(Language.class);
    for (Case c : cases) {
      List<Pattern> templates = byLanguage.computeIfAbsent(c.language(), l -> templates(l));
      String message = stripped(c.language(), c.message());
      for (Pattern template : templates) {
        if (template.matcher(message).matches()) {
          // The case id and the template, not the message: whoever fixes the generator should
          // not read the frozen set's messages.
          clashes.add(c.id() + " ~ " + template.pattern());
          break;
        }
      }
    }
    return clashes;
  }

  // The placeholders of a number in a template: the order number and the numbers that are not
  // orders (Paraphrases). Each stands for any run of digits.
  /**
   * Returns whether a message carries no phrasing of its own: nothing but the generator's openings,
   * endings and fillers, and numbers ("hi", "hello!", "12345"). Such messages cannot be kept out of
   * generated text; the template check above passes them for the same reason.
   */
  static boolean bare(Case c) {
    return stripped(c.language(), c.message()).replaceAll("[0-9０-９]", "").isEmpty();
  }

  private static final String[] PLACEHOLDERS = {"{id}", "{n}", "{m}", "{y}", "{zip}", "{phone}"};

  private static List<Pattern> templates(Language language) {
    List<Pattern> patterns = new ArrayList<>();
    List<String> all = new ArrayList<>();
    for (Intent intent : Intent.values()) {
      all.addAll(Phrases.asks(language, intent));
      all.addAll(Paraphrases.of(language, intent));
    }
    all.addAll(Paraphrases.followUps(language));
    all.addAll(Paraphrases.corrections(language));
    for (String template : all) {
      String ask = template;
      for (String placeholder : PLACEHOLDERS) {
        ask = ask.replace(placeholder, "{id}");
      }
      Set<String> variants = new HashSet<>();
      variants.add(ask);
      if (language == Language.EN) {
        String[] words = ask.split(" ");
        for (int i = 0; i < words.length && words.length >= 2; i++) {
          List<String> rest = new ArrayList<>(List.of(words));
          rest.remove(i);
          variants.add(String.join(" ", rest));
        }
      } else {
        String plain = ask.replace("{id}", "\u0000");
        for (int i = 0; i < plain.length(); i++) {
          variants.add((plain.substring(0, i) + plain.substring(i + 1)).replace("\u0000", "{id}"));
        }
      }
      for (String variant : variants) {
        String normal = stripped(language, variant);
        // A bare number ("{id}" after a "which order?", "{n}+{m}") carries no phrasing to learn.
        if (!normal.replace("{id}", "").isEmpty()) {
          patterns.add(
              Pattern.compile(String.join("[0-9０-９]+", quoteAll(normal.split("\\{id\\}", -1)))));
        }
      }
    }
    return List.copyOf(
            new java.util.LinkedHashSet<>(patterns.stream().map(Pattern::pattern).toList()))
        .stream()
        .map(Pattern::compile)
        .toList();
  }

  private static String[] quoteAll(String[] parts) {
    String[] quoted = new String[parts.length];
    for (int i = 0; i < parts.length; i++) {
      quoted[i] = Pattern.quote(parts[i]);
    }
    return quoted;
  }

  /** Lower case, generator decorations and fillers taken off, punctuation and spaces dropped. */
  private static String stripped(Language language, String text) {
    String t = text.toLowerCase(Locale.ROOT);
    boolean english = language == Language.EN;
    List<String> words = new ArrayList<>();
    words.addAll(english ? DialogueGenerator.EN_OPENINGS : DialogueGenerator.ZH_OPENINGS);
    words.addAll(english ? DialogueGenerator.EN_ENDINGS : DialogueGenerator.ZH_ENDINGS);
    for (String preamble :
        english
            ? concat(Noise.PREAMBLES_EN, Noise.NUMBER_PREAMBLES_EN)
            : concat(Noise.PREAMBLES_ZH, Noise.NUMBER_PREAMBLES_ZH)) {
      for (String name : english ? Noise.NAMES_EN : Noise.NAMES_ZH) {
        words.add(preamble.replace("{name}", name));
      }
    }
    String key = normal(t);
    for (String word : words) {
      String w = normal(word.toLowerCase(Locale.ROOT)).replaceAll("\\{n\\}", "");
      if (!w.isEmpty() && !w.contains("{")) {
        if (key.startsWith(w)) {
          key = key.substring(w.length());
        }
        if (key.endsWith(w)) {
          key = key.substring(0, key.length() - w.length());
        }
      }
    }
    if (english) {
      StringBuilder kept = new StringBuilder();
      for (String word : t.split("\\s+")) {
        if (!Noise.FILLERS_EN.contains(normal(word))) {
          kept.append(word).append(' ');
        }
      }
      String withoutFillers = normal(kept.toString());
      // Keep the shorter key: fewer words means more chance of meeting a template.
      return withoutFillers.length() < key.length() ? withoutFillers : key;
    }
    for (String filler : Noise.FILLERS_ZH) {
      key = key.replace(filler, "");
    }
    return key;
  }

  private static String normal(String text) {
    return text.replaceAll("[\\p{P}\\p{S}\\s&&[^{}]]", "");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static List<String> intentNames() {
    List<String> names = new ArrayList<>();
    for (Intent intent : Intent.values()) {
      names.add(intent.name());
    }
    return names;
  }

  @Test
  void theScorerAcceptsOnlyTheExactCallAndAnswer() {
    Case order = new Case("t1", "single", Language.EN, "ORDER_STATUS:48213", "where's 48213");
    ToolCall right = new ToolCall("c1", "orderStatus", "{\"orderId\":48213}");
    String answer = FrozenEvaluation.orderAnswer(Language.EN, 48213);

    assertThat(FrozenEvaluation.failures(order, List.of(right), answer)).isEmpty();
    assertThat(
            FrozenEvaluation.failures(
                order, List.of(new ToolCall("c1", "orderStatus", "{\"orderId\":48231}")), answer))
        .isNotEmpty();
    assertThat(FrozenEvaluation.failures(order, List.of(right, right), answer)).isNotEmpty();
    assertThat(FrozenEvaluation.failures(order, List.of(right), answer + " Anything else?"))
        .isNotEmpty();
    assertThat(FrozenEvaluation.failures(order, List.of(), answer)).isNotEmpty();
  }

  @Test
  void theScorerRejectsTheWrongLanguageLeaksAndStrayCalls() {
    Case hours = new Case("t2", "single", Language.ZH, "OPENING_HOURS", "几点开门");
    String zh = Phrases.answer(Language.ZH, Intent.OPENING_HOURS);

    assertThat(FrozenEvaluation.failures(hours, List.of(), zh)).isEmpty();
    assertThat(
            FrozenEvaluation.failures(
                hours, List.of(), Phrases.answer(Language.EN, Intent.OPENING_HOURS)))
        .contains("reply not in the customer's language");
    assertThat(FrozenEvaluation.failures(hours, List.of(), zh + "<tool_call>"))
        .contains("markup or tool syntax in the text");
    assertThat(
            FrozenEvaluation.failures(
                hours, List.of(new ToolCall("c1", "orderStatus", "{\"orderId\":10000}")), zh))
        .isNotEmpty();

    Case noNumber = new Case("t3", "adversarial", Language.EN, "NO_TOOL", "where is my order");
    assertThat(
            FrozenEvaluation.failures(
                noNumber, List.of(), Phrases.answer(Language.EN, Intent.HUMAN)))
        .isEmpty();
    assertThat(
            FrozenEvaluation.failures(
                noNumber, List.of(), FrozenEvaluation.orderAnswer(Language.EN, 10000)))
        .isNotEmpty();
  }
}
