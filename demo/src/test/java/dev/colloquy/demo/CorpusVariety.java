package dev.colloquy.demo;

import dev.colloquy.core.message.AssistantMessage;
import dev.colloquy.core.message.Message;
import dev.colloquy.core.message.UserMessage;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Counts the distinct customer messages of a training sample per intent and language (digit runs
 * count as one, so new order numbers do not inflate the figure): how varied the generated language
 * is. Not a test: a figure for the report of a generator change.
 *
 * <pre>
 * mvn -q -pl demo exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.colloquy.demo.CorpusVariety -Dexec.args="42 20000"
 * </pre>
 */
final class CorpusVariety {

  private CorpusVariety() {}

  public static void main(String[] args) {
    long seed = args.length > 0 ? Long.parseLong(args[0]) : 42;
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 20000;
    Map<Language, Map<Intent, Set<String>>> distinct = new EnumMap<>(Language.class);
    Map<Language, Map<Intent, Set<String>>> normal = new EnumMap<>(Language.class);
    Map<Language, Map<Intent, Integer>> totals = new EnumMap<>(Language.class);
    for (Dialogue dialogue : DialogueGenerator.forTraining(seed).generate(count)) {
      List<Intent> intents = dialogue.intents();
      List<Message> messages = dialogue.messages();
      int turn = 0;
      for (int i = 0; i < messages.size(); i++) {
        if (messages.get(i) instanceof UserMessage) {
          Intent intent = intents.get(turn++);
          String text = messages.get(i).text();
          Language language = answerLanguage(messages, i);
          distinct
              .computeIfAbsent(language, l -> new EnumMap<>(Intent.class))
              .computeIfAbsent(intent, k -> new HashSet<>())
              .add(text.replaceAll("[0-9]+", "#"));
          normal
              .computeIfAbsent(language, l -> new EnumMap<>(Intent.class))
              .computeIfAbsent(intent, k -> new HashSet<>())
              .add(Noise.normal(text).replaceAll("[0-9]+", "#"));
          totals
              .computeIfAbsent(language, l -> new EnumMap<>(Intent.class))
              .merge(intent, 1, Integer::sum);
        }
      }
    }
    System.out.println("grammars: derivations, distinct phrasings in 100,000 draws (seed 1)");
    for (Language language : Language.values()) {
      for (Intent intent : Intent.values()) {
        printGrammar(language + " " + intent, ShopGrammar.grammar(language, intent));
      }
      printGrammar(language + " follow-ups", ShopGrammar.followUps(language));
    }
    System.out.printf(
        "seed %d, %d training dialogues: distinct, distinct beyond case and punctuation,"
            + " all user messages%n",
        seed, count);
    for (Language language : Language.values()) {
      for (Intent intent : Intent.values()) {
        System.out.printf(
            "%s %-14s %6d %6d %6d%n",
            language,
            intent,
            distinct.get(language).getOrDefault(intent, Set.of()).size(),
            normal.get(language).getOrDefault(intent, Set.of()).size(),
            totals.get(language).getOrDefault(intent, 0));
      }
    }
  }

  private static void printGrammar(String name, Grammar grammar) {
    SplittableRandom random = new SplittableRandom(1);
    Set<String> drawn = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      drawn.add(grammar.sample(random));
    }
    System.out.printf("%-28s %12d %7d%n", name, grammar.derivations(), drawn.size());
  }

  // The customer's language is the language of the shop's answer (a message may mix scripts).
  private static Language answerLanguage(List<Message> messages, int user) {
    for (int i = user + 1; i < messages.size(); i++) {
      if (messages.get(i) instanceof AssistantMessage answer && !answer.text().isEmpty()) {
        return answer
                .text()
                .codePoints()
                .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)
            ? Language.ZH
            : Language.EN;
      }
    }
    throw new IllegalStateException("a user message without an answer");
  }
}
