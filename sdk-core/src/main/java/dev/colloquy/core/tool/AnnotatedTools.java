package dev.colloquy.core.tool;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.colloquy.core.internal.json.JsonSchemas;
import dev.colloquy.core.model.ToolSpecification;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Turns {@link Tool}-annotated methods into {@link ToolDefinition}s. */
final class AnnotatedTools {

  private AnnotatedTools() {}

  static List<ToolDefinition> scan(Object target) {
    List<ToolDefinition> tools = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<Method> methods = new ArrayList<>(List.of(target.getClass().getMethods()));
    methods.sort(Comparator.comparing(Method::getName));
    for (Method method : methods) {
      Tool annotation = method.getAnnotation(Tool.class);
      if (annotation == null || Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      ToolDefinition tool = define(target, method, annotation);
      if (!names.add(tool.name())) {
        throw new IllegalArgumentException(
            where(method)
                + ": a second tool is named '"
                + tool.name()
                + "'; give one of them @Tool(name = ...)");
      }
      tools.add(tool);
    }
    if (tools.isEmpty()) {
      throw new IllegalArgumentException(
          target.getClass().getName()
              + " has no public method annotated @Tool (tool methods must be public and not static)");
    }
    return List.copyOf(tools);
  }

  private static ToolDefinition define(Object target, Method method, Tool annotation) {
    String name = annotation.name().isEmpty() ? method.getName() : annotation.name();
    Parameter[] parameters = method.getParameters();
    String[] argumentNames = new String[parameters.length];
    JavaType[] argumentTypes = new JavaType[parameters.length];
    boolean takesContext = false;
    ObjectNode schema = JsonSchemas.MAPPER.createObjectNode().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    ArrayNode required = JsonSchemas.MAPPER.createArrayNode();
    for (int i = 0; i < parameters.length; i++) {
      Parameter parameter = parameters[i];
      if (parameter.getType() == ToolContext.class) {
        takesContext = true;
        continue;
      }
      ToolParam param = parameter.getAnnotation(ToolParam.class);
      String argumentName =
          param != null && !param.name().isEmpty() ? param.name() : parameter.getName();
      if (!parameter.isNamePresent() && (param == null || param.name().isEmpty())) {
        throw new IllegalArgumentException(
            where(method)
                + ": parameter "
                + i
                + " has no name; compile with"
                + " -parameters or annotate it @ToolParam(name = ...)");
      }
      ObjectNode property;
      try {
        property = JsonSchemas.schemaOf(parameter.getParameterizedType());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            where(method) + ", parameter '" + argumentName + "': " + e.getMessage(), e);
      }
      if (param != null && !param.description().isEmpty()) {
        property.put("description", param.description());
      }
      properties.set(argumentName, property);
      boolean optional =
          parameter.getType() == Optional.class || (param != null && !param.required());
      if (!optional) {
        required.add(argumentName);
      }
      argumentNames[i] = argumentName;
      argumentTypes[i] =
          JsonSchemas.MAPPER.getTypeFactory().constructType(parameter.getParameterizedType());
    }
    if (!required.isEmpty()) {
      schema.set("required", required);
    }
    schema.put("additionalProperties", false);
    ToolSpecification specification;
    try {
      specification =
          new ToolSpecification(name, annotation.description(), JsonSchemas.toSchema(schema));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where(method) + ": " + e.getMessage(), e);
    }
    boolean withContext = takesContext;
    method.trySetAccessible();
    ToolHandler handler =
        (arguments, context) -> {
          Object[] values = new Object[argumentNames.length];
          for (int i = 0; i < values.length; i++) {
            if (argumentNames[i] == null) {
              values[i] = withContext ? context : null;
              continue;
            }
            JsonNode value = arguments.get(argumentNames[i]);
            values[i] =
                value == null || value.isNull()
                    ? absent(argumentTypes[i])
                    : JsonSchemas.MAPPER.convertValue(value, argumentTypes[i]);
          }
          try {
            return method.invoke(target, values);
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(
                where(method) + " is not accessible: make its class public", e);
          } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
              throw runtime;
            }
            if (cause instanceof Error error) {
              throw error;
            }
            throw new ToolInvocationException(cause);
          }
        };
    return new ToolDefinition(specification, handler, annotation.requiresApproval());
  }

  private static Object absent(JavaType type) {
    if (type.getRawClass() == Optional.class) {
      return Optional.empty();
    }
    if (type.isPrimitive()) {
      throw new IllegalArgumentException(
          "a value is required for a " + type.getRawClass().getName() + " argument");
    }
    return null;
  }

  private static String where(Method method) {
    return method.getDeclaringClass().getName() + "." + method.getName();
  }

  /** Carries a checked exception thrown by a tool method. */
  static final class ToolInvocationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ToolInvocationException(Throwable cause) {
      super(cause.toString(), cause);
    }
  }
}
