package dev.colloquy.test.cassette;

import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Whether a cassette-backed model calls the live model and records, or replays a cassette. Chosen
 * by the system property {@value #PROPERTY} or, when that is unset, the environment variable
 * {@value #ENVIRONMENT_VARIABLE}; {@link #REPLAY} when neither is set, so CI never reaches a live
 * model by accident.
 */
public enum CassetteMode {
  /** Call the live model and write a new cassette, replacing the old one. */
  RECORD,
  /** Serve the cassette; never call the live model. The default. */
  REPLAY,
  /** Replay when the cassette exists; otherwise call the live model and record it. */
  RECORD_WHEN_MISSING;

  /** The system property naming the mode. */
  public static final String PROPERTY = "colloquy.cassette.mode";

  /** The environment variable naming the mode, read when the property is unset. */
  public static final String ENVIRONMENT_VARIABLE = "COLLOQUY_CASSETTE_MODE";

  /** Returns the mode named by this JVM's system property or environment. */
  public static CassetteMode current() {
    return resolve(System::getProperty, System::getenv);
  }

  /**
   * Returns the mode named by the given sources: the property first, then the environment.
   *
   * @param systemProperties looks up a system property, returning {@code null} when unset
   * @param environment looks up an environment variable, returning {@code null} when unset
   * @throws IllegalArgumentException when the value names no mode
   */
  public static CassetteMode resolve(
      UnaryOperator<String> systemProperties, UnaryOperator<String> environment) {
    String value = systemProperties.apply(PROPERTY);
    String source = "system property " + PROPERTY;
    if (value == null || value.isBlank()) {
      value = environment.apply(ENVIRONMENT_VARIABLE);
      source = "environment variable " + ENVIRONMENT_VARIABLE;
    }
    if (value == null || value.isBlank()) {
      return REPLAY;
    }
    return parse(value, source);
  }

  /**
   * Returns the mode's name as written in properties: {@code record}, {@code replay}, {@code
   * record-when-missing}.
   */
  public String propertyValue() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static CassetteMode parse(String value, String source) {
    Objects.requireNonNull(value, "value");
    for (CassetteMode mode : values()) {
      if (mode.propertyValue().equalsIgnoreCase(value.strip())
          || mode.name().equalsIgnoreCase(value.strip())) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        source + " is '" + value + "'; expected one of record, replay, record-when-missing");
  }
}
