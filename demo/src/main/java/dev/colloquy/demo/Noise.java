package dev.colloquy.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Roughens training questions the way real customers type: a word left out, a filler word, a
 * changed or missing question mark, a sentence about themselves first, two questions in one.
 *
 * <p>A small model trained on clean sentences learns the sentences; with each one seen in many
 * roughened forms it has to key on the words that carry the intent ("refund", "open", "人工"), which
 * is what carries it to phrasings it never saw. The noise only recombines the training phrasings
 * with intent-free words; it never adds a phrasing of an intent, so the held-out phrasings stay
 * unseen. The order number placeholder {@code {id}} is never cut or split.
 */
final class Noise {

  private Noise() {}

  static final List<String> FILLERS_EN =
      List.of("please", "um", "so", "actually", "just", "well", "ok", "uh", "hmm", "quickly");
  static final List<String> FILLERS_ZH = List.of("嗯", "那个", "就是", "请", "呢", "啊", "一下", "呀");
  static final List<String> NAMES_EN =
      List.of(
          "Anna", "Tom", "Maria", "Ahmed", "Sophie", "James", "Li Wei", "Olga", "Carlos", "Emma");
  static final List<String> NAMES_ZH = List.of("小王", "李明", "张伟", "王芳", "刘洋", "陈静", "赵磊", "周婷");
  static final List<String> PREAMBLES_EN =
      List.of(
          "My name is {name}. ",
          "This is {name}. ",
          "I have a question. ",
          "Sorry for my English. ",
          "I'm a regular customer. ",
          "{name} here. ");
  static final List<String> PREAMBLES_ZH =
      List.of("我叫{name}。", "我是{name}，", "有个问题，", "我是老顾客，", "不好意思，");
  // Small numbers outside order questions, so that a digit alone never means "look up an order".
  static final List<String> NUMBER_PREAMBLES_EN =
      List.of(
          "I bought {n} things last week. ", "I have {n} questions. ", "It's my {n}th time here. ");
  static final List<String> NUMBER_PREAMBLES_ZH = List.of("我买了{n}件东西，", "我有{n}个问题，", "我第{n}次来，");

  /**
   * Returns the phrasing, perhaps roughened.
   *
   * @param random the generator's random source
   * @param language the phrasing's language
   * @param intent the phrasing's intent
   * @param ask the phrasing, with {@code {id}} where the order number goes
   * @param asks every phrasing of the intent; only training ones (not every fifth) are combined
   */
  static String apply(
      SplittableRandom random, Language language, Intent intent, String ask, List<String> asks) {
    String noisy = roughen(random, language, intent, ask, asks);
    String key = normal(noisy);
    for (int i = 4; i < asks.size(); i += 5) {
      if (normal(asks.get(i)).equals(key)) {
        return ask; // a filler or a cut can rebuild a held-out phrasing ("Bye" + "ok" = "OK, bye")
      }
    }
    return noisy;
  }

  /** The text in lower case without punctuation or spaces: what tells two phrasings apart. */
  static String normal(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[\\p{Punct}？！。，\\s]", "");
  }

  private static String roughen(
      SplittableRandom random, Language language, Intent intent, String ask, List<String> asks) {
    boolean social = intent == Intent.GREETING || intent == Intent.THANKS_BYE;
    boolean english = language == Language.EN;
    String text = ask;
    if (!social && intent != Intent.ORDER_STATUS && random.nextInt(10) == 0) {
      int other = random.nextInt(asks.size());
      if (other % 5 != 4 && !asks.get(other).equals(ask)) {
        text = text + (english ? " " : "") + asks.get(other);
      }
    }
    if (random.nextInt(10) < 2) {
      text = english ? dropWord(random, text) : dropCharacter(random, text);
    }
    if (random.nextInt(10) < 3) {
      text =
          english
              ? insertWord(random, text, pick(random, FILLERS_EN))
              : insertCharacters(random, text, pick(random, FILLERS_ZH));
    }
    if (random.nextInt(10) < 2) {
      text = punctuation(random, text, english);
    }
    if (english && random.nextInt(100) < 15) {
      text = typo(random, text);
    }
    if (english && random.nextInt(100) < 15) {
      text = shorthand(random, text);
    }
    if (!english && random.nextInt(100) < 10) {
      text = codeSwitch(random, text);
    }
    if (!social && random.nextInt(10) < 2) {
      boolean numbered = intent != Intent.ORDER_STATUS && random.nextBoolean();
      String preamble =
          numbered
              ? pick(random, english ? NUMBER_PREAMBLES_EN : NUMBER_PREAMBLES_ZH)
              : pick(random, english ? PREAMBLES_EN : PREAMBLES_ZH);
      text =
          preamble
                  .replace("{name}", pick(random, english ? NAMES_EN : NAMES_ZH))
                  .replace("{n}", Integer.toString(2 + random.nextInt(8)))
              + text;
    }
    return text;
  }

  // The way people type in chat: "u", "pls", "whats", "dont".
  private static final List<String[]> SHORTHAND_EN =
      List.of(
          new String[] {"you", "u"},
          new String[] {"your", "ur"},
          new String[] {"are", "r"},
          new String[] {"please", "pls"},
          new String[] {"please", "plz"},
          new String[] {"thanks", "thx"},
          new String[] {"What's", "whats"},
          new String[] {"what's", "whats"},
          new String[] {"don't", "dont"},
          new String[] {"hasn't", "hasnt"},
          new String[] {"I'm", "im"},
          new String[] {"Where's", "wheres"},
          new String[] {"can't", "cant"},
          new String[] {"for", "4"},
          new String[] {"to", "2"});

  // English words Chinese customers mix in.
  private static final List<String[]> CODE_SWITCH_ZH =
      List.of(
          new String[] {"订单", "order"},
          new String[] {"订单", "单子"},
          new String[] {"退款", "refund"},
          new String[] {"配送", "delivery"},
          new String[] {"快递", "快递"},
          new String[] {"人工", "真人"},
          new String[] {"谢谢", "thx"},
          new String[] {"营业", "open"});

  private static String shorthand(SplittableRandom random, String text) {
    String[] swap = pick(random, SHORTHAND_EN);
    return text.replaceFirst("\\b" + java.util.regex.Pattern.quote(swap[0]) + "\\b", swap[1]);
  }

  private static String codeSwitch(SplittableRandom random, String text) {
    String[] swap = pick(random, CODE_SWITCH_ZH);
    return text.replace(swap[0], swap[1]);
  }

  // One slip of the fingers in one word of four letters or more: two letters swapped, one left
  // out, or one doubled. The order number is never touched.
  private static String typo(SplittableRandom random, String text) {
    String[] words = text.split(" ");
    int index = random.nextInt(words.length);
    String word = words[index];
    if (word.length() < 4 || word.contains("{") || !word.chars().allMatch(Character::isLetter)) {
      return text;
    }
    int at = 1 + random.nextInt(word.length() - 2);
    words[index] =
        switch (random.nextInt(3)) {
          case 0 ->
              word.substring(0, at)
                  + word.charAt(at + 1)
                  + word.charAt(at)
                  + word.substring(at + 2);
          case 1 -> word.substring(0, at) + word.substring(at + 1);
          default -> word.substring(0, at + 1) + word.substring(at);
        };
    return String.join(" ", words);
  }

  private static String dropWord(SplittableRandom random, String text) {
    List<String> words = new ArrayList<>(Arrays.asList(text.split(" ")));
    if (words.size() < 4) {
      return text;
    }
    int index = random.nextInt(words.size());
    if (words.get(index).contains("{id}")) {
      return text;
    }
    words.remove(index);
    return String.join(" ", words);
  }

  private static String insertWord(SplittableRandom random, String text, String word) {
    List<String> words = new ArrayList<>(Arrays.asList(text.split(" ")));
    words.add(random.nextInt(words.size() + 1), word);
    return String.join(" ", words);
  }

  private static String dropCharacter(SplittableRandom random, String text) {
    int index = random.nextInt(text.length());
    boolean han = Character.UnicodeScript.of(text.charAt(index)) == Character.UnicodeScript.HAN;
    long hanCount =
        text.codePoints()
            .filter(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)
            .count();
    return han && hanCount >= 5 ? text.substring(0, index) + text.substring(index + 1) : text;
  }

  private static String insertCharacters(SplittableRandom random, String text, String characters) {
    int index = random.nextInt(text.length() + 1);
    int open = text.indexOf("{id}");
    if (open >= 0 && index > open && index < open + 4) {
      index = open;
    }
    return text.substring(0, index) + characters + text.substring(index);
  }

  private static String punctuation(SplittableRandom random, String text, boolean english) {
    String trimmed = text.replaceAll("[?？!！.。]+$", "");
    return switch (random.nextInt(3)) {
      case 0 -> trimmed;
      case 1 -> trimmed + "?";
      default -> english ? trimmed + "??" : trimmed + "？";
    };
  }

  private static <T> T pick(SplittableRandom random, List<T> items) {
    return items.get(random.nextInt(items.size()));
  }
}
