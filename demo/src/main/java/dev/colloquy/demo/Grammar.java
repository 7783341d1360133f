package dev.colloquy.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A small phrasing grammar: each rule is text with choices {@code (a|b|)} (nested, an empty choice
 * makes a part optional) and named slots {@code <name>} shared between rules. A grammar is the
 * choice of one of its rules. A backslash makes the next character plain text ({@code \)} in ":)").
 * Sampling picks every choice uniformly, so a rule's parts vary independently; {@link #expand(int)}
 * lists every phrasing, for counts and for checks against hand-written sets.
 */
final class Grammar {

  private interface Node {}

  private record Text(String text) implements Node {}

  private record Sequence(List<Node> parts) implements Node {}

  private record Choice(List<Node> options) implements Node {}

  private final Node root;

  private Grammar(Node root) {
    this.root = root;
  }

  /**
   * Parses rules.
   *
   * @param slots the named slots the rules may use, each itself grammar text
   * @param rules the rules; the grammar picks one of them
   * @throws IllegalArgumentException for an unknown slot or unbalanced parentheses
   */
  static Grammar of(Map<String, String> slots, List<String> rules) {
    List<Node> options = new ArrayList<>();
    for (String rule : rules) {
      String text = resolve(rule, slots, 0);
      int[] at = {0};
      Node node = sequence(text, at);
      if (at[0] != text.length()) {
        throw new IllegalArgumentException("unbalanced ')' in rule: " + rule);
      }
      options.add(node);
    }
    return new Grammar(new Choice(options));
  }

  /** Returns one phrasing, spaces tidied. */
  String sample(SplittableRandom random) {
    StringBuilder out = new StringBuilder();
    sample(root, random, out);
    return tidy(out.toString());
  }

  /** Returns how many derivations the grammar has (an upper bound on its distinct phrasings). */
  long derivations() {
    return derivations(root);
  }

  /**
   * Returns every phrasing, spaces tidied, duplicates included.
   *
   * @param limit the most phrasings to list
   * @throws IllegalStateException when there are more than {@code limit}
   */
  List<String> expand(int limit) {
    if (derivations() > limit) {
      throw new IllegalStateException(derivations() + " phrasings, more than " + limit);
    }
    List<String> out = new ArrayList<>();
    for (String phrasing : expand(root)) {
      out.add(tidy(phrasing));
    }
    return out;
  }

  /**
   * Returns a pattern that matches {@code normal(phrasing)} for every phrasing of the grammar, with
   * any run of digits where a phrasing has {@code {id}}: a check of a message against all the
   * phrasings at once, where there are too many to list. The normaliser must work character by
   * character (lower case, characters dropped), so that normalising the parts normalises the whole.
   */
  Pattern pattern(UnaryOperator<String> normal) {
    StringBuilder regex = new StringBuilder();
    pattern(root, normal, regex);
    return Pattern.compile(regex.toString());
  }

  private static void pattern(Node node, UnaryOperator<String> normal, StringBuilder out) {
    if (node instanceof Text text) {
      String[] parts = text.text().split("\\{id}", -1);
      for (int i = 0; i < parts.length; i++) {
        out.append(i > 0 ? "[0-9]+" : "");
        String part = normal.apply(parts[i]);
        out.append(part.isEmpty() ? "" : Pattern.quote(part));
      }
    } else if (node instanceof Sequence sequence) {
      for (Node part : sequence.parts()) {
        pattern(part, normal, out);
      }
    } else {
      out.append("(?:");
      List<Node> options = ((Choice) node).options();
      for (int i = 0; i < options.size(); i++) {
        out.append(i > 0 ? "|" : "");
        pattern(options.get(i), normal, out);
      }
      out.append(')');
    }
  }

  private static String tidy(String text) {
    return text.replaceAll(" {2,}", " ").replace(" ,", ",").trim();
  }

  // Slots are substituted as text before parsing; the depth bound stops a slot that names itself.
  private static String resolve(String text, Map<String, String> slots, int depth) {
    if (depth > 8) {
      throw new IllegalArgumentException("slots nest too deep: " + text);
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        out.append(c).append(text.charAt(++i));
      } else if (c == '<') {
        int end = text.indexOf('>', i);
        String name = end < 0 ? null : text.substring(i + 1, end);
        if (name == null || !slots.containsKey(name)) {
          throw new IllegalArgumentException("unknown slot <" + name + "> in: " + text);
        }
        out.append('(').append(resolve(slots.get(name), slots, depth + 1)).append(')');
        i = end;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static Node sequence(String text, int[] at) {
    List<Node> parts = new ArrayList<>();
    StringBuilder plain = new StringBuilder();
    while (at[0] < text.length()) {
      char c = text.charAt(at[0]);
      if (c == ')' || c == '|') {
        break;
      }
      at[0]++;
      if (c == '\\' && at[0] < text.length()) {
        plain.append(text.charAt(at[0]++));
      } else if (c == '(') {
        if (!plain.isEmpty()) {
          parts.add(new Text(plain.toString()));
          plain.setLength(0);
        }
        List<Node> options = new ArrayList<>();
        options.add(sequence(text, at));
        while (at[0] < text.length() && text.charAt(at[0]) == '|') {
          at[0]++;
          options.add(sequence(text, at));
        }
        if (at[0] >= text.length() || text.charAt(at[0]) != ')') {
          throw new IllegalArgumentException("unclosed '(' in rule: " + text);
        }
        at[0]++;
        parts.add(new Choice(options));
      } else {
        plain.append(c);
      }
    }
    if (!plain.isEmpty()) {
      parts.add(new Text(plain.toString()));
    }
    return parts.size() == 1 ? parts.get(0) : new Sequence(parts);
  }

  // Plain instanceof chains: the module compiles for Java 17, before pattern switches.
  private static void sample(Node node, SplittableRandom random, StringBuilder out) {
    if (node instanceof Text text) {
      out.append(text.text());
    } else if (node instanceof Sequence sequence) {
      sequence.parts().forEach(part -> sample(part, random, out));
    } else {
      List<Node> options = ((Choice) node).options();
      sample(options.get(random.nextInt(options.size())), random, out);
    }
  }

  private static long derivations(Node node) {
    if (node instanceof Text) {
      return 1;
    }
    if (node instanceof Sequence sequence) {
      return sequence.parts().stream()
          .mapToLong(Grammar::derivations)
          .reduce(1, Math::multiplyExact);
    }
    return ((Choice) node)
        .options().stream().mapToLong(Grammar::derivations).reduce(0, Math::addExact);
  }

  private static List<String> expand(Node node) {
    if (node instanceof Text text) {
      return List.of(text.text());
    }
    List<String> out = new ArrayList<>();
    if (node instanceof Sequence sequence) {
      out.add("");
      for (Node part : sequence.parts()) {
        List<String> tails = expand(part);
        List<String> next = new ArrayList<>(out.size() * tails.size());
        for (String head : out) {
          for (String tail : tails) {
            next.add(head + tail);
          }
        }
        out = next;
      }
    } else {
      for (Node option : ((Choice) node).options()) {
        out.addAll(expand(option));
      }
    }
    return out;
  }
}
