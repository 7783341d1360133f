package dev.colloquy.test.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class (or method) whose tests receive a {@link TestModels} parameter: scripted or
 * cassette-backed models whose calls are captured, and whose transcript is printed, and attached to
 * the failure, when a test fails.
 *
 * <pre>{@code
 * @ColloquyTest
 * class RefundTest {
 *   @Test
 *   void refundsALateOrder(TestModels models) {
 *     ChatModel model = models.cassette(() -> OpenAiChatModel.builder()...build());
 *     ...
 *   }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(ColloquyExtension.class)
public @interface ColloquyTest {

  /**
   * The folder of cassettes, relative to the working directory; each test's cassette is {@code
   * <folder>/<TestClassSimpleName>/<testMethodName>.json}.
   */
  String cassettes() default "src/test/resources/cassettes";
}
