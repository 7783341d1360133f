package dev.colloquy.model.local.internal.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JinjaDialectTest {

  @Test
  void aReversingSliceBecomesTheReverseFilter() {
    assertThat(JinjaDialect.rewrite("{%- for m in messages[::-1] %}"))
        .isEqualTo("{%- for m in (messages|reverse|list) %}");
  }

  @Test
  void notBeforeATestAppliesToTheWholeTestAsInJinja2() {
    assertThat(JinjaDialect.rewrite("{% if not tools is defined or not x.y is not none %}"))
        .isEqualTo("{% if not (tools is defined) or not (x.y is not none) %}");
  }

  @Test
  void keywordArgumentValuesAreParenthesized() {
    assertThat(
            JinjaDialect.rewrite(
                "{% set ns = namespace(multi=true, last=messages|length - 1) %}{{ a == b }}"))
        .isEqualTo(
            "{% set ns = namespace(multi=(true), last=(messages|length - 1)) %}{{ a == b }}");
  }

  @Test
  void chainedStringMethodsBecomeNestedFunctions() {
    assertThat(JinjaDialect.rewrite("{{ c.split('</think>')[-1].lstrip('\\n') + x.strip() }}"))
        .isEqualTo("{{ py_lstrip(py_split(c, '</think>')[-1], '\\n') + py_strip(x) }}");
  }

  @Test
  void textOutsideTagsIsLeftAlone() {
    String text = "Call x.strip() when not a is defined, f(a=1 - 2), m[::-1].";

    assertThat(JinjaDialect.rewrite(text + "{{ 1 }}")).isEqualTo(text + "{{ 1 }}");
  }

  @Test
  void stringsInsideTagsAreNotTakenForKeywords() {
    assertThat(JinjaDialect.rewrite("{{ f('a=b, c', d='e=f') }}"))
        .isEqualTo("{{ f('a=b, c', d=('e=f')) }}");
  }
}
