package dev.colloquy.core.tool;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a tool the model may call. Its JSON Schema comes from the signature:
 * primitives, strings, enums, records, lists, maps, {@code Optional} and nested records; parameters
 * are required unless they are {@code Optional} or marked {@code @ToolParam(required = false)}.
 *
 * <pre>{@code
 * class OrderTools {
 *   @Tool(description = "Status of an order")
 *   String orderStatus(@ToolParam(description = "the order number") int orderId) { ... }
 * }
 * }</pre>
 *
 * <p>Parameter names come from {@link ToolParam#name()} or, when the code is compiled with {@code
 * -parameters}, from the source; otherwise a tool with unnamed parameters is rejected.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Tool {

  /** The tool's name; the method's name when empty. */
  String name() default "";

  /** What the tool does and when the model should use it. */
  String description() default "";

  /** Whether each call must be approved by the agent's approval callback before it runs. */
  boolean requiresApproval() default false;
}
