package dev.colloquy.core.guard;

import java.time.YearMonth;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One pattern for one {@link PiiKind}: a regular expression, the group holding the value and a
 * check that rejects look-alikes (Luhn for cards, the check digit for resident IDs).
 */
record PiiDetector(PiiKind kind, Pattern pattern, int group, Predicate<String> valid) {

  private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final String ID_CHECK = "10X98765432";

  static List<PiiDetector> forKind(PiiKind kind) {
    return switch (kind) {
      case SECRET -> List.of(
          of(kind, "(?<![A-Za-z0-9])sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}"),
          of(kind, "(?<![A-Za-z0-9])AKIA[0-9A-Z]{16}(?![A-Za-z0-9])"),
          of(kind, "(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{36,}"),
          of(kind, "(?<![A-Za-z0-9])xox[abprs]-[A-Za-z0-9-]{10,}"),
          of(kind, "(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}"),
          new PiiDetector(kind, Pattern.compile("(?i)\\bbearer\\s+([A-Za-z0-9._~+/-]{16,}=*)"), 1, v -> true),
          new PiiDetector(kind, Pattern.compile(
              "(?i)\\b(?:api[_-]?key|secret|token|password|passwd|pwd)\\b[\"']?\\s*[:=]\\s*[\"']?([^\\s\"',;]{8,})"),
              1, v -> !v.startsWith("[SECRET_")));
      case EMAIL -> List.of(of(kind, "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"));
      case CN_RESIDENT_ID -> List.of(new PiiDetector(kind,
          Pattern.compile("(?<![0-9A-Za-z])\\d{17}[0-9Xx](?![0-9A-Za-z])"), 0, PiiDetector::isResidentId));
      case PAYMENT_CARD -> List.of(new PiiDetector(kind,
          Pattern.compile("(?<![\\d+-])\\d(?:[ -]?\\d){12,18}(?![\\d-])"), 0, PiiDetector::passesLuhn));
      case CN_MOBILE -> List.of(of(kind, "(?<![\\d+])(?:(?:\\+|00)?86[ -]?)?1[3-9]\\d[ -]?\\d{4}[ -]?\\d{4}(?!\\d)"));
      case PHONE -> List.of(
          new PiiDetector(kind, Pattern.compile(
              "(?<![\\w+])\\+[1-9]\\d{0,2}(?:[ .-]?\\(\\d{1,4}\\))?(?:[ .-]?\\d{1,4}){2,5}(?!\\d)"),
              0, v -> digits(v).length() >= 8 && digits(v).length() <= 15),
          of(kind, "(?<![\\d(])\\(?\\d{3}\\)?[ .-]\\d{3}[ .-]\\d{4}(?!\\d)"));
    };
  }

  private static PiiDetector of(PiiKind kind, String regex) {
    return new PiiDetector(kind, Pattern.compile(regex), 0, v -> true);
  }

  /** Returns whether 13 to 19 digits (spaces and dashes ignored) pass the Luhn check. */
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

  /** Returns whether 18 characters are a resident ID: a real birth date and the right check digit. */
  static boolean isResidentId(String id) {
    if (id.length() != 18) {
      return false;
    }
    int year = Integer.parseInt(id.substring(6, 10));
    int month = Integer.parseInt(id.substring(10, 12));
    int day = Integer.parseInt(id.substring(12, 14));
    if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1
        || day > YearMonth.of(year, month).lengthOfMonth()) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (id.charAt(i) - '0') * ID_WEIGHTS[i];
    }
    return Character.toUpperCase(id.charAt(17)) == ID_CHECK.charAt(sum % 11);
  }

  private static String digits(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        out.append(c);
      }
    }
    return out.toString();
  }
}
