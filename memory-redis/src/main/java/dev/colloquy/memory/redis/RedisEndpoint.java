package dev.colloquy.memory.redis;

import io.lettuce.core.RedisURI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where the store connects, as it may be shown (scheme, hosts, database: never the credentials),
 * and the secrets of the URI it was given, which are removed by value from any foreign text (the
 * driver's exception messages) before that text reaches an exception of ours.
 */
final class RedisEndpoint {

  private static final String MASK = "******";
  // Bounds the walk along a cause chain, which a foreign library could make circular.
  private static final int MAX_CAUSES = 16;

  private final String description;
  private final List<String> secrets;
  private final RedisURI uri;

  private RedisEndpoint(String description, List<String> secrets, RedisURI uri) {
    this.description = description;
    this.secrets = secrets;
    this.uri = uri;
  }

  /** The endpoint of a client the application built: its URI is not ours to show. */
  static RedisEndpoint ofClient() {
    return new RedisEndpoint("the application's RedisClient", List.of(), null);
  }

  /**
   * Parses a Redis URI ({@code redis://}, {@code rediss://}, {@code redis-sentinel://}, {@code
   * redis-socket://}).
   *
   * @throws IllegalArgumentException when it is not one; the message shows it without credentials
   */
  static RedisEndpoint parse(String text) {
    List<String> secrets = secretsOf(text);
    RedisURI uri;
    try {
      uri = RedisURI.create(text);
    } catch (RuntimeException e) {
      RedisEndpoint shown = new RedisEndpoint("", secrets, null);
      throw new IllegalArgumentException(
          "uri is not a Redis URI such as redis://host:6379/0: "
              + shown.redact(withoutUserInfo(text))
              + " ("
              + shown.redact(String.valueOf(e.getMessage()))
              + ")");
    }
    return new RedisEndpoint(describe(uri), secrets, uri);
  }

  /** Returns the parsed URI; {@code null} for the application's client. */
  RedisURI uri() {
    return uri;
  }

  @Override
  public String toString() {
    return description;
  }

  /** Returns the text with every secret of the URI replaced. */
  String redact(String text) {
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, MASK);
    }
    return result;
  }

  /**
   * Returns the exception itself when no message along its cause chain holds a secret, else a copy
   * of the chain with the secrets replaced (class names and stack traces kept).
   */
  Throwable sanitize(Throwable failure) {
    if (secrets.isEmpty() || !mentionsSecret(failure)) {
      return failure;
    }
    return copy(failure, 0);
  }

  private boolean mentionsSecret(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t) && seen.size() <= MAX_CAUSES; ) {
      if (!redact(String.valueOf(t)).equals(String.valueOf(t))) {
        return true;
      }
      for (Throwable suppressed : t.getSuppressed()) {
        if (!redact(String.valueOf(suppressed)).equals(String.valueOf(suppressed))) {
          return true;
        }
      }
      t = t.getCause();
    }
    return false;
  }

  private RedactedException copy(Throwable failure, int depth) {
    Throwable cause = failure.getCause();
    RedactedException copy =
        new RedactedException(
            redact(String.valueOf(failure)),
            cause == null || cause == failure || depth >= MAX_CAUSES
                ? null
                : copy(cause, depth + 1));
    copy.setStackTrace(failure.getStackTrace());
    return copy;
  }

  private static String describe(RedisURI uri) {
    String database = "/" + uri.getDatabase();
    if (uri.getSocket() != null) {
      return "redis-socket://" + uri.getSocket() + database;
    }
    if (!uri.getSentinels().isEmpty()) {
      return "redis-sentinel://"
          + uri.getSentinels().stream()
              .map(s -> s.getHost() + ":" + s.getPort())
              .collect(Collectors.joining(","))
          + database
          + " (master "
          + uri.getSentinelMasterId()
          + ")";
    }
    return (uri.isSsl() ? "rediss://" : "redis://")
        + uri.getHost()
        + ":"
        + uri.getPort()
        + database;
  }

  // The user information of scheme://[[user:]password@]host...: Lettuce reads a lone value as
  // the password. Both the raw and the percent-decoded forms are secrets.
  private static List<String> secretsOf(String text) {
    String userInfo = userInfo(text);
    if (userInfo.isEmpty()) {
      return List.of();
    }
    int colon = userInfo.indexOf(':');
    String password = colon < 0 ? userInfo : userInfo.substring(colon + 1);
    List<String> secrets = new ArrayList<>();
    for (String secret : List.of(userInfo, password)) {
      if (!secret.isEmpty()) {
        secrets.add(secret);
        try {
          secrets.add(URLDecoder.decode(secret, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          // Not valid percent-encoding: only the raw form can appear anywhere.
        }
      }
    }
    // Longest first, so a secret containing another is replaced whole.
    return secrets.stream()
        .filter(s -> !s.isEmpty())
        .distinct()
        .sorted(Comparator.comparingInt(String::length).reversed())
        .toList();
  }

  private static String userInfo(String text) {
    int scheme = text.indexOf("://");
    if (scheme < 0) {
      return "";
    }
    int start = scheme + 3;
    int end = text.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int at = text.indexOf(c, start);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    int at = text.lastIndexOf('@', end - 1);
    return at < start ? "" : text.substring(start, at);
  }

  private static String withoutUserInfo(String text) {
    String userInfo = userInfo(text);
    return userInfo.isEmpty() ? text : text.replace(userInfo + "@", MASK + "@");
  }
}
