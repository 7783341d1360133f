package dev.colloquy.demo;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Training-only customer phrasings drawn from the per-intent grammars of {@link EnglishGrammar} and
 * {@link ChineseGrammar} (issue 19). A drawn phrasing that is a held-out phrasing of {@link
 * Phrases} (or, for the intents other than greetings and goodbyes, contains one, as {@link
 * DialogueGenerator#isHeldOut} judges) is drawn again, so the held-out phrasings stay unseen.
 *
 * <p>A grammar this rich also writes some of the messages of the hand-written evaluation sets
 * ({@link FrozenEvaluation}): plain phrasings that people type too. A drawn phrasing equal to one
 * of them beyond case, punctuation, spaces and numbers is drawn again, so no hand-written message
 * is ever a training message and both sets keep measuring unseen messages. The sets only take
 * phrasings away from training this way; none is ever added from them.
 */
final class ShopGrammar {

  private ShopGrammar() {}

  private static final Map<Language, Map<Intent, Grammar>> GRAMMARS = new EnumMap<>(Language.class);
  private static final Map<Language, Grammar> FOLLOW_UPS = new EnumMap<>(Language.class);
  private static final Map<Language, Set<String>> HAND_WRITTEN = handWritten();

  static {
    for (Language language : Language.values()) {
      boolean english = language == Language.EN;
      Map<String, String> slots = english ? EnglishGrammar.SLOTS : ChineseGrammar.SLOTS;
      Map<Intent, List<String>> rules = english ? EnglishGrammar.RULES : ChineseGrammar.RULES;
      Map<Intent, Grammar> grammars = new EnumMap<>(Intent.class);
      rules.forEach((intent, list) -> grammars.put(intent, Grammar.of(slots, list)));
      GRAMMARS.put(language, grammars);
      FOLLOW_UPS.put(
          language,
          Grammar.of(slots, english ? EnglishGrammar.FOLLOW_UPS : ChineseGrammar.FOLLOW_UPS));
    }
  }

  /** Returns the grammar of an intent; every intent has one. */
  static Grammar grammar(Language language, Intent intent) {
    return GRAMMARS.get(language).get(intent);
  }

  /** Returns the grammar of an order number given after the shop asked for it. */
  static Grammar followUps(Language language) {
    return FOLLOW_UPS.get(language);
  }

  /**
   * Draws a phrasing of the intent that is not held out; {@code {id}} marks the order number.
   * English phrasings start in lower or upper case at random.
   */
  static String sample(SplittableRandom random, Language language, Intent intent) {
    Grammar grammar = grammar(language, intent);
    for (int attempt = 0; attempt < 50; attempt++) {
      String phrasing = grammar.sample(random);
      if (!heldOut(language, intent, phrasing) && !handWritten(language, phrasing)) {
        return cased(random, language, phrasing);
      }
    }
    throw new IllegalStateException("the " + language + " " + intent + " grammar is held out");
  }

  /** Draws an order number given casually; {@code {id}} marks it. */
  static String followUp(SplittableRandom random, Language language) {
    for (int attempt = 0; attempt < 50; attempt++) {
      String phrasing = followUps(language).sample(random);
      if (!handWritten(language, phrasing)) {
        return cased(random, language, phrasing);
      }
    }
    throw new IllegalStateException("the " + language + " follow-up grammar is hand-written");
  }

  /**
   * Returns whether a phrasing is a message of a hand-written evaluation set beyond case,
   * punctuation, spaces and numbers; {@code {id}} counts as a number.
   */
  static boolean handWritten(Language language, String phrasing) {
    return HAND_WRITTEN.get(language).contains(key(phrasing.replace("{id}", "1")));
  }

  private static String key(String text) {
    return Noise.normal(text).replaceAll("[0-9０-９]+", "#");
  }

  private static Map<Language, Set<String>> handWritten() {
    Map<Language, Set<String>> keys = new EnumMap<>(Language.class);
    for (Language language : Language.values()) {
      keys.put(language, new HashSet<>());
    }
    for (String resource :
        List.of(
            FrozenEvaluation.DEV_RESOURCE,
            FrozenEvaluation.RESOURCE,
            FrozenEvaluation.V2_RESOURCE,
            FrozenEvaluation.V3_RESOURCE,
            FrozenEvaluation.V4_RESOURCE)) {
      for (FrozenEvaluation.Case c : FrozenEvaluation.cases(resource)) {
        keys.get(c.language()).add(key(c.message()));
      }
    }
    return keys;
  }

  /** Returns whether a grammar phrasing would rebuild a held-out phrasing of the intent. */
  static boolean heldOut(Language language, Intent intent, String phrasing) {
    List<String> asks = Phrases.asks(language, intent);
    String key = Noise.normal(phrasing);
    for (int i = 4; i < asks.size(); i += 5) {
      if (Noise.normal(asks.get(i)).equals(key)) {
        return true;
      }
    }
    boolean social = intent == Intent.GREETING || intent == Intent.THANKS_BYE;
    // Greetings and goodbyes are short: "good morning" inside a longer greeting is no leak.
    return !social
        && DialogueGenerator.isHeldOut(language, intent, phrasing.replace("{id}", "10234"));
  }

  private static String cased(SplittableRandom random, Language language, String phrasing) {
    if (language != Language.EN || phrasing.isEmpty() || random.nextBoolean()) {
      return phrasing;
    }
    return phrasing.substring(0, 1).toUpperCase(Locale.ROOT) + phrasing.substring(1);
  }
}
