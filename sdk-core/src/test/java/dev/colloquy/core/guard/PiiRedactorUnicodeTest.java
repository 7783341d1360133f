package dev.colloquy.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Personal values typed outside ASCII are found as their ASCII forms are: full-width digits and
 * separators from Chinese and Japanese input methods, other scripts' decimal digits, and
 * internationalised e-mail addresses. Look-alikes in any script are left alone.
 */
class PiiRedactorUnicodeTest {

  private final PiiRedactor redactor = PiiRedactor.all();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // full-width digits, spaces (U+3000) and hyphens (U+FF0D)
        "卡号 ４１１１ １１１１ １１１１ １１１１ 到期 | 卡号 [CARD_1] 到期",
        "卡号４１１１１１１１１１１１１１１１。 | 卡号[CARD_1]。",
        "card ４１１１　１１１１　１１１１　１１１１ exp | card [CARD_1] exp",
        "card ５５００－００５５－５５５５－５５５９ exp | card [CARD_1] exp",
        "card 4111 １１１１ 1111 １１１１ exp | card [CARD_1] exp",
        // other scripts' decimal digits: Arabic-Indic, Devanagari
        "card ٤١١١ ١١١١ ١١١١ ١١١١ exp | card [CARD_1] exp",
        "card ४१११ ११११ ११११ ११११ exp | card [CARD_1] exp",
        // mobiles and phones
        "手机 １３８１２３４５６７８ 谢谢 | 手机 [PHONE_1] 谢谢",
        "手机：１３８　１２３４　５６７８ | 手机：[PHONE_1]",
        "call ＋８６ １３８ １２３４ ５６７８ now | call [PHONE_1] now",
        "call +86-138-1234-5678 now | call [PHONE_1] now",
        "call 4486 13812345678 now | call 4486 [PHONE_1] now",
        "call ＋４４ ２０ ７９４６ ０９５８ now | call [PHONE_1] now",
        "call （５５５） １２３－４５６７ now | call [PHONE_1] now",
        // resident IDs
        "身份证 １１０１０５１９４９１２３１００２Ｘ 好 | 身份证 [ID_1] 好",
        "身份证 ４４０３０４１９９００１０１１２３３ 好 | 身份证 [ID_1] 好",
        // internationalised e-mail addresses
        "write to 张三@例子.中国 today | write to [EMAIL_1] today",
        "write to josé@exämple.com today | write to [EMAIL_1] today",
        "write to info@bücher.de today | write to [EMAIL_1] today",
        "write to 用户@例子.广告 or a@b.io | write to [EMAIL_1] or [EMAIL_2]",
        "写信给 张三＠例子。中国 吧 | 写信给 [EMAIL_1] 吧",
        "write to δοκιμή@παράδειγμα.δοκιμή today | write to [EMAIL_1] today",
        "write to user@xn--fsqu00a.xn--fiqs8s today | write to [EMAIL_1] today",
        "邮箱 １３８１２３４５６７８@163.com 谢谢 | 邮箱 [EMAIL_1] 谢谢",
        // glued to Chinese text, as it is written: the value and no more (a CJK local part cannot
        // be told from the words before it)
        "请发邮件到jane@example.com谢谢 | 请发邮件到[EMAIL_1]谢谢",
        "邮箱是jane@example.com。谢谢 | 邮箱是[EMAIL_1]。谢谢",
        "请联系info@例子.中国，谢谢 | 请联系[EMAIL_1]，谢谢",
        "邮箱 张三@例子.中国。谢谢 | 邮箱 [EMAIL_1]。谢谢",
        "身份证号１１０１０５１９４９１２３１００２Ｘ。 | 身份证号[ID_1]。",
        "手机号13812345678，谢谢 | 手机号[PHONE_1]，谢谢",
        "电话+44 20 7946 0958 | 电话[PHONE_1]",
      })
  void findsValuesTypedOutsideAscii(String text, String expected) {
    assertThat(redactor.redact(text)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "今天天气很好，我们去公园散步吧。",
        "价格是１２３４５６７元",
        "会议在２０２４－０１－１５ １０：３０开始",
        "会议在２０２４年１月１５日",
        "版本 １.２.３ 已发布",
        "version ١.٢.٣ is out",
        "订单 ４１１１ １１１１ １１１１ １１１２ 已发货",
        "身份证 ４４０３０４１９９００１０１１２３４ 无效",
        "号码 １２８１２３４５６７８ 不是手机",
        "@张三 你好",
        "张三@例子 没有域名",
        "mail me at jane@localhost",
        "the café@ corner is open",
        "room ١٠١ on floor ٣",
        "call ＋０ １２３４ ５６７８ now",
      })
  void leavesLookAlikesInAnyScriptAlone(String text) {
    assertThat(redactor.redact(text)).isEqualTo(text);
  }

  @Test
  void aSessionRestoresFullWidthValuesExactlyAsTyped() {
    RedactionSession session = redactor.newSession();
    String redacted = session.redact("卡号 ４１１１ １１１１ １１１１ １１１１，邮箱 张三@例子.中国");

    assertThat(redacted).isEqualTo("卡号 [CARD_1]，邮箱 [EMAIL_1]");
    assertThat(session.restore("{\"card\":\"[CARD_1]\",\"to\":\"[EMAIL_1]\"}"))
        .isEqualTo("{\"card\":\"４１１１ １１１１ １１１１ １１１１\",\"to\":\"张三@例子.中国\"}");
  }

  @Test
  void aSessionRestoresAPlaceholderTheModelWroteWithFullWidthDigitsOrBrackets() {
    RedactionSession session = redactor.newSession();
    session.redact("a@x.io b@x.io");

    assertThat(session.restore("[EMAIL_２] ［EMAIL_1］ [EMAIL_３]"))
        .isEqualTo("b@x.io a@x.io [EMAIL_３]");
  }

  @Test
  void luhnAndTheResidentIdCheckDigitUseTheDigitsNumericValues() {
    assertThat(PiiDetector.passesLuhn("４１１１１１１１１１１１１１１１")).isTrue();
    assertThat(PiiDetector.passesLuhn("４１１１１１１１１１１１１１１２")).isFalse();
    assertThat(PiiDetector.isResidentId("１１０１０５１９４９１２３１００２Ｘ")).isTrue();
    assertThat(PiiDetector.isResidentId("１１０１０５１９４９１２３１００２１")).isFalse();
  }

  // ---- seeded properties ----

  static LongStream seeds() {
    // Consecutive seeds start java.util.Random alike: draw the seeds from one seeded generator.
    return new Random(20261214).longs(200);
  }

  private static final List<String> VALUES =
      List.of(
          "4111 1111 1111 1111|CARD",
          "5500-0055-5555-5559|CARD",
          "13812345678|PHONE",
          "+86 138 1234 5678|PHONE",
          "11010519491231002X|ID",
          "+44 20 7946 0958|PHONE",
          "(555) 123-4567|PHONE");
  // Zero in ASCII, full-width, Arabic-Indic, Devanagari, Bengali and Mathematical bold (outside the
  // BMP).
  private static final int[] ZEROS = {'0', 0xFF10, 0x0660, 0x0966, 0x09E6, 0x1D7CE};

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aValueWithItsDigitsInAnyMixOfScriptsIsFoundAsTheAsciiOne(long seed) {
    Random random = new Random(seed);
    String[] value = VALUES.get(random.nextInt(VALUES.size())).split("\\|");
    StringBuilder typed = new StringBuilder();
    value[0]
        .codePoints()
        .forEach(
            c -> {
              if (c >= '0' && c <= '9') {
                typed.appendCodePoint(ZEROS[random.nextInt(ZEROS.length)] + (c - '0'));
              } else if (c == ' ' && random.nextBoolean()) {
                typed.append('\u3000');
              } else if (c == '-' && random.nextBoolean()) {
                typed.append('\uFF0D');
              } else if (c == '+' && random.nextBoolean()) {
                typed.append('\uFF0B');
              } else if ((c == '(' || c == ')') && random.nextBoolean()) {
                typed.append(c == '(' ? '\uFF08' : '\uFF09');
              } else {
                typed.appendCodePoint(c);
              }
            });

    assertThat(redactor.redact("值 " + typed + " 好"))
        .as("seed %d: %s", seed, typed)
        .isEqualTo("值 [" + value[1] + "_1] 好");
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void restoringWhatASessionRedactedGivesBackAnyTextExactly(long seed) {
    Random random = new Random(seed);
    List<String> pieces =
        List.of(
            "１３８１２３４５６７８",
            "4111 1111 1111 1111",
            "张三@例子.中国",
            "josé@exämple.com",
            "请",
            "发",
            "到",
            "。",
            " ",
            "@",
            ".",
            "-",
            "＋",
            "８６",
            "1",
            "١",
            "é",
            "\uD835\uDFCE",
            "a",
            "[EMAIL_",
            "]");
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(40); i > 0; i--) {
      text.append(pieces.get(random.nextInt(pieces.size())));
    }
    RedactionSession session = redactor.newSession();

    String redacted = session.redact(text.toString());

    if (!text.toString().contains("[EMAIL_")) {
      assertThat(session.restore(redacted))
          .as("seed %d: %s", seed, text)
          .isEqualTo(text.toString());
    }
  }
}
