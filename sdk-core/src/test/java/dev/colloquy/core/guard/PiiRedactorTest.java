package dev.colloquy.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PiiRedactorTest {

  private final PiiRedactor redactor = PiiRedactor.all();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "write to jane.doe+news@example.co.uk today | write to [EMAIL_1] today",
        "call 13812345678 now | call [PHONE_1] now",
        "call +86 138 1234 5678 now | call [PHONE_1] now",
        "call +44 20 7946 0958 now | call [PHONE_1] now",
        "call (555) 123-4567 now | call [PHONE_1] now",
        "card 4111 1111 1111 1111 exp | card [CARD_1] exp",
        "card 5500-0055-5555-5559 exp | card [CARD_1] exp",
        "id 11010519491231002X ok | id [ID_1] ok",
        "id 440304199001011233 ok | id [ID_1] ok",
        "key sk-proj-abcdefghijklmnopqrstuvwxyz0123 here | key [SECRET_1] here",
        "aws AKIAIOSFODNN7EXAMPLE here | aws [SECRET_1] here",
        "api_key=abcd1234efgh5678 rest | api_key=[SECRET_1] rest",
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.def | Authorization: Bearer [SECRET_1]",
      })
  void redactsEachKindOfPersonalValue(String text, String expected) {
    assertThat(redactor.redact(text)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "write to jane at example dot com",
        "meet on 2024-01-15 at 10:30",
        "order 4111 1111 1111 1112 shipped",
        "id 440304199001011234 is not valid",
        "id 440304199013011233 has month 13",
        "number 12812345678 is no mobile",
        "version 1.2.3 of the task-force plan",
        "my token is short",
        "the price is 1234567 dollars",
      })
  void leavesLookAlikesAlone(String text) {
    assertThat(redactor.redact(text)).isEqualTo(text);
  }

  @Test
  void numbersEachValueAndReusesThePlaceholderOfARepeatedValue() {
    String redacted = redactor.redact("a@x.io, b@x.io, a@x.io");

    assertThat(redacted).isEqualTo("[EMAIL_1], [EMAIL_2], [EMAIL_1]");
  }

  @Test
  void aNumberFailingLuhnIsNotACard() {
    assertThat(PiiDetector.passesLuhn("4111111111111111")).isTrue();
    assertThat(PiiDetector.passesLuhn("4111111111111112")).isFalse();
    assertThat(PiiDetector.passesLuhn("0000000000000000")).isFalse();
  }

  @Test
  void anIdWithABadCheckDigitIsNotAnId() {
    assertThat(PiiDetector.isResidentId("11010519491231002X")).isTrue();
    assertThat(PiiDetector.isResidentId("110105194912310021")).isFalse();
    assertThat(PiiDetector.isResidentId("110105194902300020")).isFalse();
  }

  @Test
  void aRedactorForSomeKindsLeavesTheOthers() {
    PiiRedactor emailsOnly = PiiRedactor.of(PiiKind.EMAIL);

    assertThat(emailsOnly.redact("a@x.io 13812345678")).isEqualTo("[EMAIL_1] 13812345678");
  }

  @Test
  void aSessionRestoresTheRealValuesForToolsWithinTheTurn() {
    RedactionSession session = redactor.newSession();
    String redacted = session.redact("mail jane@example.com about card 4111 1111 1111 1111");

    String toolArguments = "{\"to\":\"[EMAIL_1]\",\"card\":\"[CARD_1]\",\"cc\":\"[EMAIL_9]\"}";

    assertThat(redacted).isEqualTo("mail [EMAIL_1] about card [CARD_1]");
    assertThat(session.restore(toolArguments))
        .isEqualTo(
            "{\"to\":\"jane@example.com\",\"card\":\"4111 1111 1111 1111\",\"cc\":\"[EMAIL_9]\"}");
  }

  @Test
  void aSessionNeverShowsItsValuesInItsDescription() {
    RedactionSession session = redactor.newSession();
    session.redact("jane@example.com");

    assertThat(session.toString()).doesNotContain("jane").contains("1 value(s)");
  }

  @Test
  void theSessionGuardRewritesWithAReasonThatHoldsNoValue() {
    RedactionSession session = redactor.newSession();

    GuardDecision decision = session.asGuard().check("mail jane@example.com");

    assertThat(decision)
        .isInstanceOfSatisfying(
            GuardDecision.Rewrite.class,
            rewrite -> {
              assertThat(rewrite.text()).isEqualTo("mail [EMAIL_1]");
              assertThat(rewrite.reason()).doesNotContain("jane");
            });
    assertThat(session.asGuard().check("nothing here")).isEqualTo(GuardDecision.pass());
  }
}
