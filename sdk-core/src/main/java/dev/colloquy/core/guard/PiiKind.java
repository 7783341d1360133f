package dev.colloquy.core.guard;

/**
 * The kinds of personal data and secrets a {@link PiiRedactor} finds. They are looked for in the
 * order declared here, so a card number is never taken for a phone number. A digit is any Unicode
 * decimal digit (full-width {@code ４}, Arabic-Indic {@code ٤}, …), checked by its numeric value.
 */
public enum PiiKind {
  /**
   * API-key-like secrets: {@code sk-…}, {@code AKIA…}, {@code ghp_…}, {@code xox…-}, {@code AIza…},
   * bearer tokens, and the value of {@code api_key=…}, {@code password: …} and the like.
   */
  SECRET("SECRET"),
  /** E-mail addresses, internationalised ones too: {@code 张三@例子.中国}, {@code josé@exämple.com}. */
  EMAIL("EMAIL"),
  /** Mainland-China resident ID numbers (18 characters, a valid birth date and check digit). */
  CN_RESIDENT_ID("ID"),
  /**
   * Payment card numbers: 13 to 19 digits, spaces or dashes (full-width too) allowed, passing the
   * Luhn check.
   */
  PAYMENT_CARD("CARD"),
  /** Mainland-China mobile numbers: 11 digits starting 13 to 19, with or without +86. */
  CN_MOBILE("PHONE"),
  /** Other phone numbers: international with a leading +, or (555) 123-4567 style. */
  PHONE("PHONE");

  private final String label;

  PiiKind(String label) {
    this.label = label;
  }

  /** Returns the label used in placeholders, as in {@code [EMAIL_1]}. */
  public String label() {
    return label;
  }
}
