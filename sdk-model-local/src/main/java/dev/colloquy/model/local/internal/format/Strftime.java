package dev.colloquy.model.local.internal.format;

import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/** Python's {@code strftime} in the C locale, for the directives chat templates use. */
final class Strftime {

  private Strftime() {}

  static String format(LocalDateTime time, String format) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c != '%' || i + 1 == format.length()) {
        out.append(c);
        continue;
      }
      char directive = format.charAt(++i);
      switch (directive) {
        case 'd' -> out.append(String.format("%02d", time.getDayOfMonth()));
        case 'm' -> out.append(String.format("%02d", time.getMonthValue()));
        case 'Y' -> out.append(time.getYear());
        case 'y' -> out.append(String.format("%02d", time.getYear() % 100));
        case 'H' -> out.append(String.format("%02d", time.getHour()));
        case 'I' -> out.append(String.format("%02d", (time.getHour() + 11) % 12 + 1));
        case 'p' -> out.append(time.getHour() < 12 ? "AM" : "PM");
        case 'M' -> out.append(String.format("%02d", time.getMinute()));
        case 'S' -> out.append(String.format("%02d", time.getSecond()));
        case 'j' -> out.append(String.format("%03d", time.getDayOfYear()));
        case 'b' -> out.append(time.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
        case 'B' -> out.append(time.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        case 'a' -> out.append(time.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
        case 'A' -> out.append(time.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        case '%' -> out.append('%');
        default ->
            throw new IllegalArgumentException(
                "strftime_now: the directive %" + directive + " is not supported");
      }
    }
    return out.toString();
  }
}
