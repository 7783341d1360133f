package dev.colloquy.core.guard;

import java.time.YearMonth;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One pattern for one {@link PiiKind}: a regular expression, the group holding the value and a
 * check that rejects look-alikes (Luhn for cards, the check digit for resident IDs).
 *
 * <p>Digits are any Unicode decimal digit ({@code \p{Nd}}: ASCII, the full-width digits of Chinese
 * and Japanese input methods, Arabic-Indic, Devanagari, …), and the checks work on their numeric
 * values ({@link Character#digit(int, int)}). Separators inside numbers include the full-width
 * space and hyphen; e-mail addresses may hold letters and digits of any script, with full-width
 * {@code ＠} and ideographic full stops as IDNA allows.
 */
record PiiDetector(PiiKind kind, Pattern pattern, int group, Predicate<String> valid) {

  private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final String ID_CHECK = "10X98765432";

  // One separator inside a card or mobile number: space, no-break and ideographic spaces, hyphens.
  private static final String SEP = "[ \\u00A0\\u3000\\-\\u2010-\\u2013\\u2212\\uFF0D]";
  // One separator inside a phone number: as SEP, and full stops.
  private static final String PHONE_SEP =
      "[ .\\u00A0\\u3000\\-\\u2010-\\u2013\\u2212\\uFF0D\\uFF0E]";
  private static final String PLUS = "[+\\uFF0B]";
  // Latin letters, ASCII and full-width, for "not inside a word": Chinese text glues numbers to
  // words.
  private static final String LATIN = "A-Za-z\\uFF21-\\uFF3A\\uFF41-\\uFF5A";
  private static final String OPEN = "[(\\uFF08]";
  private static final String CLOSE = "[)\\uFF09]";
  // E-mail: letters, marks and digits of any script, `＠`, and the full stops IDNA reads as dots.
  // Chinese, Japanese and Korean text has no spaces, so a part of an address is one script class:
  // CJK, or not — `请发邮件到jane@example.com。谢谢` is the address between 到 and 。.
  private static final String CJK_CLASS = "\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}\\p{IsHangul}";
  private static final String CJK = "[" + CJK_CLASS + "]";
  private static final String LOCAL_CHAR = "[\\p{L}\\p{M}\\p{Nd}._%+\\-&&[^" + CJK_CLASS + "]]";
  private static final String LABEL_CHAR = "[\\p{L}\\p{M}\\p{Nd}\\-&&[^" + CJK_CLASS + "]]";
  private static final String TLD_CHAR = "[\\p{L}\\p{M}&&[^" + CJK_CLASS + "]]";
  private static final String LOCAL =
      "(?:(?<!" + CJK + ")" + CJK + "+|(?<!" + LOCAL_CHAR + ")" + LOCAL_CHAR + "+)";
  private static final String LABEL = "(?:" + CJK + "+|" + LABEL_CHAR + "+)";
  private static final String DOT = "[.\\uFF0E\\uFF61]";
  private static final String TLD = "(?:xn--[A-Za-z0-9\\-]+|" + CJK + "{2,}|" + TLD_CHAR + "{2,})";
  // The ideographic full stop ends Chinese sentences: it is a dot only in an all-CJK domain written
  // with it.
  private static final String DOMAIN =
      "(?:"
          + LABEL
          + "(?:"
          + DOT
          + LABEL
          + ")*"
          + DOT
          + TLD
          + "|"
          + CJK
          + "+(?:\\u3002"
          + CJK
          + "+)*\\u3002"
          + CJK
          + "{2,})";
  private static final String EMAIL = LOCAL + "[@\\uFF20]" + DOMAIN;

  static List<PiiDetector> forKind(PiiKind kind) {
    return switch (kind) {
      case SECRET ->
          List.of(
              of(kind, "(?<![A-Za-z0-9])sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}"),
              of(kind, "(?<![A-Za-z0-9])AKIA[0-9A-Z]{16}(?![A-Za-z0-9])"),
              of(kind, "(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{36,}"),
              of(kind, "(?<![A-Za-z0-9])xox[abprs]-[A-Za-z0-9-]{10,}"),
              of(kind, "(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}"),
              new PiiDetector(
                  kind,
                  Pattern.compile("(?i)\\bbearer\\s+([A-Za-z0-9._~+/-]{16,}=*)"),
                  1,
                  v -> true),
              new PiiDetector(
                  kind,
                  Pattern.compile(
                      "(?i)\\b(?:api[_-]?key|secret|token|password|passwd|pwd)\\b[\"']?\\s*[:=]\\s*[\"']?([^\\s\"',;]{8,})"),
                  1,
                  v -> !v.startsWith("[SECRET_")));
      case EMAIL -> List.of(of(kind, EMAIL));
      case CN_RESIDENT_ID ->
          List.of(
              new PiiDetector(
                  kind,
                  Pattern.compile(
                      "(?<![\\p{Nd}"
                          + LATIN
                          + "])\\p{Nd}{17}[\\p{Nd}Xx\\uFF38\\uFF58](?![\\p{Nd}"
                          + LATIN
                          + "])"),
                  0,
                  PiiDetector::isResidentId));
      case PAYMENT_CARD ->
          List.of(
              new PiiDetector(
                  kind,
                  Pattern.compile(
                      "(?<![\\p{Nd}+\\uFF0B\\-\\uFF0D])\\p{Nd}(?:"
                          + SEP
                          + "?\\p{Nd}){12,18}(?![\\p{Nd}\\-\\uFF0D])"),
                  0,
                  PiiDetector::passesLuhn));
      case CN_MOBILE ->
          List.of(
              new PiiDetector(
                  kind,
                  Pattern.compile(
                      "(?<![\\p{Nd}+\\uFF0B])(?:(?:"
                          + PLUS
                          + "|\\p{Nd}{2})?\\p{Nd}{2}"
                          + SEP
                          + "?)?\\p{Nd}{3}"
                          + SEP
                          + "?\\p{Nd}{4}"
                          + SEP
                          + "?\\p{Nd}{4}(?!\\p{Nd})"),
                  0,
                  PiiDetector::isChineseMobile));
      case PHONE ->
          List.of(
              new PiiDetector(
                  kind,
                  Pattern.compile(
                      "(?<!["
                          + LATIN
                          + "\\p{Nd}_+\\uFF0B])"
                          + PLUS
                          + "\\p{Nd}{1,3}(?:"
                          + PHONE_SEP
                          + "?"
                          + OPEN
                          + "\\p{Nd}{1,4}"
                          + CLOSE
                          + ")?(?:"
                          + PHONE_SEP
                          + "?\\p{Nd}{1,4}){2,5}(?!\\p{Nd})"),
                  0,
                  v -> {
                    String digits = digits(v);
                    return digits.length() >= 8 && digits.length() <= 15 && digits.charAt(0) != '0';
                  }),
              of(
                  kind,
                  "(?<![\\p{Nd}(\\uFF08])"
                      + OPEN
                      + "?\\p{Nd}{3}"
                      + CLOSE
                      + "?"
                      + PHONE_SEP
                      + "\\p{Nd}{3}"
                      + PHONE_SEP
                      + "\\p{Nd}{4}(?!\\p{Nd})"));
    };
  }

  private static PiiDetector of(PiiKind kind, String regex) {
    return new PiiDetector(kind, Pattern.compile(regex), 0, v -> true);
  }

  /**
   * Returns whether a match is a mainland-China mobile: {@code 1[3-9]} and nine digits, after
   * {@code 86}, {@code +86} or {@code 0086} or nothing.
   */
  static boolean isChineseMobile(String candidate) {
    String digits = digits(candidate);
    boolean plus = candidate.startsWith("+") || candidate.startsWith("\uFF0B");
    String local =
        switch (digits.length()) {
          case 11 -> plus ? "" : digits;
          case 13 -> digits.startsWith("86") ? digits.substring(2) : "";
          case 15 -> !plus && digits.startsWith("0086") ? digits.substring(4) : "";
          default -> "";
        };
    return local.length() == 11 && local.charAt(0) == '1' && local.charAt(1) >= '3';
  }

  /** Returns whether 13 to 19 digits of any script (separators ignored) pass the Luhn check. */
  static boolean passesLuhn(String candidate) {
    String digits = digits(candidate);
    if (digits.length() < 13 || digits.length() > 19 || digits.chars().distinct().count() == 1) {
      return false;
    }
    int sum = 0;
    boolean doubled = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (doubled) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubled = !doubled;
    }
    return sum % 10 == 0;
  }

  /**
   * Returns whether 18 characters are a resident ID: 17 digits of any script with a real birth
   * date, and the right check digit (a digit or {@code X}, full-width too).
   */
  static boolean isResidentId(String id) {
    int[] codePoints = id.codePoints().toArray();
    if (codePoints.length != 18) {
      return false;
    }
    int last = codePoints[17];
    boolean x = last == 'X' || last == 'x' || last == '\uFF38' || last == '\uFF58';
    String digits = digits(id);
    if (digits.length() != (x ? 17 : 18)) {
      return false;
    }
    int year = Integer.parseInt(digits.substring(6, 10));
    int month = Integer.parseInt(digits.substring(10, 12));
    int day = Integer.parseInt(digits.substring(12, 14));
    if (year < 1900
        || year > 2099
        || month < 1
        || month > 12
        || day < 1
        || day > YearMonth.of(year, month).lengthOfMonth()) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (digits.charAt(i) - '0') * ID_WEIGHTS[i];
    }
    char check = ID_CHECK.charAt(sum % 11);
    return x ? check == 'X' : digits.charAt(17) == check;
  }

  /**
   * Returns the decimal digits of any script in {@code s} as ASCII digits, in order; the rest is
   * dropped.
   */
  static String digits(String s) {
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints()
        .forEach(
            c -> {
              int value = Character.digit(c, 10);
              if (value >= 0) {
                out.append((char) ('0' + value));
              }
            });
    return out.toString();
  }
}
