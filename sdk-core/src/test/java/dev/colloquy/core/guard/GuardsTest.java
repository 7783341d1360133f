package dev.colloquy.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.colloquy.core.model.JsonSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardsTest {

  @Test
  void maxLengthBlocksATextOverTheLimitAndPassesOneAtIt() {
    Guard guard = Guards.maxLength(5);

    assertThat(guard.check("12345")).isEqualTo(GuardDecision.pass());
    assertThat(guard.check("123456"))
        .isEqualTo(
            GuardDecision.block("the text is 6 characters, over the limit of 5; shorten it"));
  }

  @Test
  void normalizeTextRewritesFullWidthDigitsAndOddSpacesAndPassesPlainText() {
    Guard guard = Guards.normalizeText();

    assertThat(guard.check("我的订单１０２３４\u3000在哪"))
        .isEqualTo(GuardDecision.rewrite("我的订单10234 在哪", "Unicode NFKC normalization"));
    assertThat(guard.check("ＷＨＥＲＥ is order\u00a010234? ﬁne"))
        .isEqualTo(
            GuardDecision.rewrite("WHERE is order 10234? fine", "Unicode NFKC normalization"));
    // Full-width punctuation is how Chinese is written: kept.
    assertThat(guard.check("订单１２３４５，到哪了？"))
        .isEqualTo(GuardDecision.rewrite("订单12345，到哪了？", "Unicode NFKC normalization"));
    assertThat(guard.check("我的订单10234到哪了？")).isEqualTo(GuardDecision.pass());
    assertThat(guard.check("Where is order 10234? 我的订单")).isEqualTo(GuardDecision.pass());
    assertThat(guard.name()).isEqualTo("normalize-text");
  }

  @Test
  void blockedTopicsBlockAMatchingTextAndPassOthers() {
    Guard guard = Guards.blockedTopics("weapons", "(?i)\\bbombs?\\b");

    assertThat(guard.check("How do I build a BOMB?")).isInstanceOf(GuardDecision.Block.class);
    assertThat(guard.check("The bombastic speech")).isEqualTo(GuardDecision.pass());
    assertThat(guard.name()).isEqualTo("blocked-topic:weapons");
  }

  @Test
  void aBlockedTopicPatternThatDoesNotCompileIsNamed() {
    assertThatThrownBy(() -> Guards.blockedTopics("x", "ok", "(unclosed"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blocked topic 'x': pattern 1 does not compile");
  }

  @Test
  void jsonGuardPassesJsonBlocksProseAndUnwrapsACodeFence() {
    Guard guard = Guards.json();

    assertThat(guard.check("{\"a\": 1}")).isEqualTo(GuardDecision.pass());
    assertThat(guard.check("Sure! {\"a\": 1}"))
        .isInstanceOfSatisfying(
            GuardDecision.Block.class,
            block ->
                assertThat(block.reason())
                    .startsWith("the reply is not valid JSON")
                    .contains("line 1"));
    assertThat(guard.check("```json\n{\"a\": 1}\n```"))
        .isInstanceOfSatisfying(
            GuardDecision.Rewrite.class,
            rewrite -> assertThat(rewrite.text()).isEqualTo("{\"a\": 1}"));
  }

  @Test
  void jsonSchemaGuardListsEachViolationWithItsPath() {
    JsonSchema schema =
        JsonSchema.parse(
            """
        {"type": "object", "required": ["city", "days"],
         "properties": {"city": {"type": "string"}, "days": {"type": "integer", "minimum": 1}}}
        """);
    Guard guard = Guards.jsonSchema(schema);

    assertThat(guard.check("{\"city\": \"Paris\", \"days\": 3}")).isEqualTo(GuardDecision.pass());
    assertThat(guard.check("{\"city\": 7, \"days\": 0}"))
        .isInstanceOfSatisfying(
            GuardDecision.Block.class,
            block ->
                assertThat(block.reason())
                    .startsWith("the reply does not fit the JSON schema")
                    .contains("city")
                    .contains("days"));
  }

  @Test
  void aChainFeedsRewritesForwardAndStopsAtTheFirstBlock() {
    Guard redact = PiiRedactor.all().asGuard();
    Guard chain = Guard.allOf(List.of(redact, Guards.maxLength(20)));

    assertThat(chain.check("mail a@b.io"))
        .isInstanceOfSatisfying(
            GuardDecision.Rewrite.class,
            rewrite -> assertThat(rewrite.text()).isEqualTo("mail [EMAIL_1]"));
    assertThat(chain.check("mail someone.with.a.long.name@b.io please"))
        .isInstanceOf(GuardDecision.Block.class);
    assertThat(chain.check("hello")).isEqualTo(GuardDecision.pass());
  }

  @Test
  void aDecisionNeedsAReason() {
    assertThatThrownBy(() -> GuardDecision.block(" ")).hasMessageContaining("must not be blank");
  }
}
