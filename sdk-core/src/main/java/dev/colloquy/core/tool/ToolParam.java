package dev.colloquy.core.tool;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Describes a parameter of a {@link Tool} method. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface ToolParam {

  /** The argument's name in the JSON object; the parameter's source name when empty. */
  String name() default "";

  /** What the argument means, for the model. */
  String description() default "";

  /** Whether the model must give the argument ({@code Optional} parameters never are). */
  boolean required() default true;
}
