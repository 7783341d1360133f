package dev.colloquy.test.internal.cassette;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.colloquy.core.guard.SecretRedactor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials before a cassette is written: fields named like keys or authorization
 * headers, bearer tokens and {@code sk-} keys inside any text (by pattern), and the live model's
 * configured secrets wherever they occur (by exact value, so a 32-hex-digit Azure key goes too).
 * Replays redact the live request the same way before matching, so a redacted value still matches.
 *
 * <p>Streamed chunks are redacted as one text: a secret split across two chunks would otherwise
 * survive in halves that re-form it when the chunks are joined. The joined text is redacted and
 * then cut again where the original chunks ended, a cut falling inside a secret moving to the start
 * of its placeholder. A response's logprobs are dropped whole when their tokens spell a secret,
 * since one split across tokens could not be cut out of them. Immutable and thread-safe.
 */
public final class Redactor {

  /** What a removed secret is replaced with. */
  public static final String REDACTED = "[REDACTED]";

  private static final Redactor PATTERNS = new Redactor(SecretRedactor.none());

  private static final Pattern SECRET_FIELD =
      Pattern.compile(
          "(?i)(api[-_]?key|x-api-key|authorization|proxy-authorization|secret|client[-_]?secret|password|access[-_]?token|refresh[-_]?token|bearer)");
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}");
  private static final Pattern KEY = Pattern.compile("\\b(sk|rk|pk)-[A-Za-z0-9_-]{16,}");

  private final SecretRedactor secrets;

  private Redactor(SecretRedactor secrets) {
    this.secrets = secrets;
  }

  /**
   * Returns the redactor of credential-named fields and of bearer and {@code sk-} patterns only.
   */
  public static Redactor patterns() {
    return PATTERNS;
  }

  /** Returns a redactor that also removes the given secrets by exact value. */
  public static Redactor with(SecretRedactor secrets) {
    Objects.requireNonNull(secrets, "secrets");
    return secrets.isEmpty() ? PATTERNS : new Redactor(secrets);
  }

  /** Redacts the node in place and returns it. */
  public JsonNode redact(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode value = object.get(name);
        if (SECRET_FIELD.matcher(name).matches() && !value.isNull()) {
          object.put(name, REDACTED);
        } else if (value.isTextual()) {
          object.set(name, TextNode.valueOf(redactText(value.asText())));
        } else if (name.equals("logprobs") && value instanceof ArrayNode tokens) {
          if (spellsASecret(tokens)) {
            object.remove(name); // a secret split across tokens cannot be cut out of them
          }
        } else if (name.equals("chunks") && value instanceof ArrayNode chunks && allText(chunks)) {
          List<String> pieces = new ArrayList<>();
          chunks.forEach(chunk -> pieces.add(chunk.asText()));
          ArrayNode redacted = object.putArray(name);
          redactChunks(pieces).forEach(redacted::add);
        } else {
          redact(value);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        if (array.get(i).isTextual()) {
          array.set(i, TextNode.valueOf(redactText(array.get(i).asText())));
        } else {
          redact(array.get(i));
        }
      }
    }
    return node;
  }

  /** Replaces bearer tokens, API keys and the configured secrets inside a text. */
  public String redactText(String text) {
    List<int[]> spans = spans(text);
    if (spans.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int from = 0;
    for (int[] span : spans) {
      out.append(text, from, span[0]).append(REDACTED);
      from = span[1];
    }
    return out.append(text, from, text.length()).toString();
  }

  /**
   * Redacts chunks that are parts of one text: the joined text is redacted, then cut where the
   * chunks ended. Joined again, the result equals {@link #redactText} of the joined text, so no
   * chunk boundary can hide a secret; a chunk left empty by the cut is dropped.
   */
  public List<String> redactChunks(List<String> chunks) {
    String joined = String.join("", chunks);
    List<int[]> spans = spans(joined);
    if (spans.isEmpty()) {
      return chunks;
    }
    String redacted = redactText(joined);
    List<String> out = new ArrayList<>(chunks.size());
    int originalEnd = 0;
    int from = 0;
    for (String chunk : chunks) {
      originalEnd += chunk.length();
      int to = position(originalEnd, spans);
      if (to > from) {
        out.add(redacted.substring(from, to));
        from = to;
      }
    }
    return out;
  }

  /**
   * Where an index of the original text lands in the redacted one; inside a secret, at its
   * placeholder's start.
   */
  private static int position(int original, List<int[]> spans) {
    int shift = 0;
    for (int[] span : spans) {
      if (original <= span[0]) {
        break;
      }
      if (original < span[1]) {
        return span[0] + shift;
      }
      shift += REDACTED.length() - (span[1] - span[0]);
    }
    return original + shift;
  }

  /**
   * Returns the sorted, merged {@code [start, end)} spans to replace: pattern matches and
   * configured secrets.
   */
  private List<int[]> spans(String text) {
    List<int[]> found = new ArrayList<>();
    Matcher bearer = BEARER.matcher(text);
    while (bearer.find()) {
      found.add(new int[] {bearer.end(1), bearer.end()});
    }
    Matcher key = KEY.matcher(text);
    while (key.find()) {
      found.add(new int[] {key.start(), key.end()});
    }
    for (SecretRedactor.Span span : secrets.find(text)) {
      found.add(new int[] {span.start(), span.end()});
    }
    if (found.size() < 2) {
      return found;
    }
    found.sort(Comparator.comparingInt(span -> span[0]));
    List<int[]> merged = new ArrayList<>();
    int[] current = found.get(0).clone();
    for (int[] span : found) {
      if (span[0] < current[1]) {
        current[1] = Math.max(current[1], span[1]);
      } else {
        merged.add(current);
        current = span.clone();
      }
    }
    merged.add(current);
    return merged;
  }

  /**
   * Whether a response's logprobs ({@code [{token, bytes, topLogprobs}]}, see {@code
   * CassetteCodec}) hold a secret: in the chosen tokens joined, as text or as decoded bytes, or in
   * any one alternative.
   */
  private boolean spellsASecret(ArrayNode tokens) {
    StringBuilder text = new StringBuilder();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (JsonNode token : tokens) {
      text.append(token.path("token").asText(""));
      bytes.writeBytes(bytesOf(token));
      for (JsonNode alternative : token.path("topLogprobs")) {
        if (!spans(alternative.path("token").asText("")).isEmpty()
            || !spans(new String(bytesOf(alternative), StandardCharsets.UTF_8)).isEmpty()) {
          return true;
        }
      }
    }
    return !spans(text.toString()).isEmpty()
        || !spans(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  private static byte[] bytesOf(JsonNode token) {
    JsonNode array = token.path("bytes");
    byte[] bytes = new byte[array.size()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) array.get(i).asInt();
    }
    return bytes;
  }

  private static boolean allText(ArrayNode array) {
    for (JsonNode item : array) {
      if (!item.isTextual()) {
        return false;
      }
    }
    return true;
  }
}
