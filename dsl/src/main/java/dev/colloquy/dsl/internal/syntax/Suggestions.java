package dev.colloquy.dsl.internal.syntax;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** The notes of an "unknown name" error: the valid names and the nearest one. */
public final class Suggestions {
  // Listing more than this many valid names helps nobody; the rest are counted.
  private static final int MAX_LISTED = 12;

  private Suggestions() {}

  /**
   * Returns the notes for an unknown name: "expected one of: ..." (or that none exist) and, when
   * one is close enough, "did you mean `x`?".
   *
   * @param what the kind of name, plural, for "no ... are defined"
   * @param name the unknown name
   * @param valid the valid names
   */
  public static List<String> forUnknown(String what, String name, Collection<String> valid) {
    List<String> notes = new ArrayList<>(2);
    if (valid.isEmpty()) {
      notes.add("no " + what + " are defined");
      return notes;
    }
    TreeSet<String> sorted = new TreeSet<>(valid);
    StringBuilder listed = new StringBuilder("expected one of: ");
    int n = 0;
    for (String v : sorted) {
      if (n == MAX_LISTED) {
        listed.append(", … (").append(sorted.size() - MAX_LISTED).append(" more)");
        break;
      }
      listed.append(n++ == 0 ? "" : ", ").append(v);
    }
    notes.add(listed.toString());
    nearest(name, sorted).ifPresent(near -> notes.add("did you mean `" + near + "`?"));
    return notes;
  }

  /** Returns the valid name nearest to {@code name}, if one is within a third of its length. */
  public static Optional<String> nearest(String name, Collection<String> valid) {
    if (name.length() > 64) {
      return Optional.empty();
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : valid) {
      int d =
          distance(
              name.toLowerCase(java.util.Locale.ROOT),
              candidate.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    int allowed = Math.max(1, Math.max(name.length(), best == null ? 0 : best.length()) / 3);
    return best != null && bestDistance <= allowed && !best.equals(name)
        ? Optional.of(best)
        : Optional.empty();
  }

  /**
   * Levenshtein distance with adjacent transpositions counted as one edit (optimal string
   * alignment), so {@code modle} is one edit from {@code model}.
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
