package dev.colloquy.demo;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.agent.Reply;
import dev.colloquy.core.message.ToolCall;
import dev.colloquy.core.model.StreamListener;
import dev.colloquy.model.local.LocalGptModel;
import dev.colloquy.test.Transcripts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Scores the demo model strictly on the frozen, hand-written evaluation set ({@value #RESOURCE}):
 * messages written by hand before any further training change, in phrasings no generator template
 * produces, never used to choose between models (issue 19). Each case runs through the real agent
 * and its tool loop, a dialogue's turns in one conversation.
 *
 * <p>A turn passes only when all of these hold: the tool calls are exactly the expected ones (one
 * {@code orderStatus} call with the customer's number, or none); the text is exactly the expected
 * intent's answer (for an order, the answer worded from the tool's result), which also means it is
 * in the customer's language and carries no extra or leaked text. A dialogue passes when every turn
 * does.
 *
 * <pre>
 * mvn -q -pl demo -am install -DskipTests  # once, or use the reactor build
 * mvn -q -pl demo exec:java -Dexec.mainClass=dev.colloquy.demo.FrozenEvaluation
 * </pre>
 */
@Command(
    name = "frozen-evaluation",
    mixinStandardHelpOptions = true,
    description = "Scores the demo shop model strictly on the frozen hand-written evaluation set.")
public final class FrozenEvaluation implements Callable<Integer> {

  /** The class-path resource holding the set, version 1 (used up: its failing lines were read). */
  public static final String RESOURCE = "/dev/colloquy/demo/frozen-eval-v1.tsv";

  /**
   * The class-path resource holding version 2 of the frozen set: written by hand on 2026-12-07,
   * before any further training change, by someone who had seen neither the model's results nor the
   * generator's phrasings. Like version 1 it only reports and is never used to choose.
   */
  public static final String V2_RESOURCE = "/dev/colloquy/demo/frozen-eval-v2.tsv";

  /**
   * The class-path resource holding version 3 of the frozen set: written by hand on 2026-12-07,
   * before the next training change, blind (its writer had seen neither the model's results nor the
   * generator's phrasings). Like the earlier versions it only reports and is never used to choose.
   */
  public static final String V3_RESOURCE = "/dev/colloquy/demo/frozen-eval-v3.tsv";

  /**
   * The class-path resource holding version 4 of the frozen set: written by hand on 2026-12-07,
   * before the next training change, blind (its writer had seen neither the model's results, nor
   * the generator's phrasings, nor the development set). Like the earlier versions it only reports
   * and is never used to choose.
   */
  public static final String V4_RESOURCE = "/dev/colloquy/demo/frozen-eval-v4.tsv";

  /**
   * The class-path resource holding the development set: written by hand like the frozen one, and
   * the only hand-written set used to choose between models, seeds and data changes.
   */
  public static final String DEV_RESOURCE = "/dev/colloquy/demo/dev-eval-v1.tsv";

  /** The expectation meaning "no tool call and no order answer; any fixed non-order answer". */
  public static final String NO_TOOL = "NO_TOOL";

  private static final Pattern ORDER = Pattern.compile("ORDER_STATUS:(\\d+)");
  private static final Pattern RESULT =
      Pattern.compile("\"status\":\"([a-z]+)\",\"date\":\"([0-9-]+)\"");
  private static final Pattern LEAK =
      Pattern.compile("[{}<>\\[\\]|]|orderStatus|orderId|<\\|", Pattern.CASE_INSENSITIVE);

  /**
   * One customer message of the set.
   *
   * @param id the case id; a dialogue's turns are {@code dialogue/turn}
   * @param group single, dialogue, off-domain or adversarial
   * @param language the customer's language
   * @param expectation {@code ORDER_STATUS:n}, an intent name, or {@value #NO_TOOL}; {@code A+B}
   *     for two questions in one message, wanting both answers in that order
   * @param message what the customer writes
   */
  public record Case(
      String id, String group, Language language, String expectation, String message) {

    /** Validates the fields. */
    public Case {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(language, "language");
      Objects.requireNonNull(expectation, "expectation");
      Objects.requireNonNull(message, "message");
    }

    /** Returns the conversation the case runs in: its dialogue's, or its own. */
    public String conversation() {
      int slash = id.indexOf('/');
      return slash < 0 ? id : id.substring(0, slash);
    }
  }

  /** Returns every case of the frozen set, version 1, in file order. */
  public static List<Case> cases() {
    return cases(RESOURCE);
  }

  /**
   * Returns every case of a set in this format, in file order.
   *
   * @param resource the class-path resource ({@link #RESOURCE}, {@link #V2_RESOURCE}, {@link
   *     #V3_RESOURCE}, {@link #V4_RESOURCE} or {@link #DEV_RESOURCE})
   */
  public static List<Case> cases(String resource) {
    List<Case> cases = new ArrayList<>();
    try (InputStream in = FrozenEvaluation.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the class path lacks " + resource);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] fields = line.split("\t", -1);
        if (fields.length != 5) {
          throw new IllegalStateException("not five tab-separated fields: " + line);
        }
        cases.add(
            new Case(
                fields[0],
                fields[1],
                Language.valueOf(fields[2].toUpperCase(Locale.ROOT)),
                fields[3],
                fields[4]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cases;
  }

  /**
   * Scores one reply strictly.
   *
   * @param expected the case
   * @param calls the tool calls the turn made, in order
   * @param text the reply's final text
   * @return why the turn failed, or an empty list when it passed
   */
  public static List<String> failures(Case expected, List<ToolCall> calls, String text) {
    List<String> why = new ArrayList<>();
    Language language = expected.language();
    if (expected.expectation().equals(NO_TOOL)) {
      if (!calls.isEmpty()) {
        why.add("tool calls " + render(calls) + ", expected none");
      }
      boolean fixed = false;
      for (Intent intent : Intent.values()) {
        fixed |= intent != Intent.ORDER_STATUS && text.equals(Phrases.answer(language, intent));
      }
      if (!fixed) {
        why.add("text is not one of the fixed non-order answers");
      }
    } else {
      // One part per question: ORDER_STATUS:n or an intent; A+B wants both answers in that order.
      List<String> wantedCalls = new ArrayList<>();
      List<String> answers = new ArrayList<>();
      for (String part : expected.expectation().split("\\+")) {
        Matcher order = ORDER.matcher(part);
        if (order.matches()) {
          int orderId = Integer.parseInt(order.group(1));
          wantedCalls.add("orderStatus {\"orderId\":" + orderId + "}");
          answers.add(orderAnswer(language, orderId));
        } else {
          answers.add(Phrases.answer(language, Intent.valueOf(part)));
        }
      }
      List<String> made = new ArrayList<>();
      for (ToolCall call : calls) {
        made.add(call.name() + " " + call.arguments().replaceAll("\\s", ""));
      }
      if (!made.equals(wantedCalls)) {
        why.add(
            "tool calls "
                + render(calls)
                + ", expected "
                + (wantedCalls.isEmpty() ? "none" : String.join(", ", wantedCalls)));
      }
      String wanted = String.join(language == Language.EN ? " " : "", answers);
      if (!text.equals(wanted)) {
        why.add("text is not the expected answer \"" + wanted + "\"");
      }
    }
    if (!inLanguage(text, language)) {
      why.add("reply not in the customer's language");
    }
    if (LEAK.matcher(text).find()) {
      why.add("markup or tool syntax in the text");
    }
    return why;
  }

  /** Returns the answer the shop words from the tool's result for an order. */
  static String orderAnswer(Language language, int orderId) {
    Matcher result = RESULT.matcher(new OrderBook().orderStatus(orderId));
    if (!result.find()) {
      throw new IllegalArgumentException("not an existing order: " + orderId);
    }
    return Phrases.orderAnswer(language, result.group(1))
        .replace("{id}", Integer.toString(orderId))
        .replace("{date}", result.group(2));
  }

  /** Chinese replies carry Han characters; English ones carry none. */
  static boolean inLanguage(String text, Language language) {
    boolean han =
        text.codePoints()
            .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
    return language == Language.ZH ? han : !han && !text.isBlank();
  }

  private static String render(List<ToolCall> calls) {
    if (calls.isEmpty()) {
      return "none";
    }
    List<String> out = new ArrayList<>();
    for (ToolCall call : calls) {
      out.add(call.name() + " " + call.arguments());
    }
    return String.join(", ", out);
  }

  /**
   * One scored turn.
   *
   * @param input the case
   * @param reply the reply's text, or the error
   * @param failures why it failed; empty when it passed
   */
  public record Result(Case input, String reply, List<String> failures) {

    /** Copies the failures. */
    public Result {
      failures = List.copyOf(failures);
    }

    /** Returns whether the turn passed. */
    public boolean passed() {
      return failures.isEmpty();
    }
  }

  /** Runs every case against an agent, a dialogue's turns in one conversation. */
  public static List<Result> run(Agent agent, List<Case> cases) {
    List<Result> results = new ArrayList<>(cases.size());
    for (Case input : cases) {
      try {
        Reply reply =
            agent.stream("frozen-" + input.conversation(), input.message(), StreamListener.NONE);
        results.add(
            new Result(
                input,
                reply.text(),
                failures(input, Transcripts.toolCalls(reply.messages()), reply.text())));
      } catch (RuntimeException e) {
        results.add(new Result(input, "error: " + e.getMessage(), List.of("the turn failed")));
      }
    }
    return results;
  }

  /** Renders the per group and language table as Markdown: cases (dialogues whole) passed. */
  public static String table(List<Result> results) {
    Map<String, int[]> cells = new LinkedHashMap<>();
    Map<String, Boolean> dialogues = new LinkedHashMap<>();
    for (Result result : results) {
      Case input = result.input();
      if (input.group().equals("dialogue")) {
        dialogues.merge(
            input.language() + "\t" + input.conversation(), result.passed(), Boolean::logicalAnd);
      }
    }
    List<String> groups = List.of("single", "dialogue", "off-domain", "adversarial");
    for (String group : groups) {
      for (Language language : Language.values()) {
        int[] cell = new int[2];
        if (group.equals("dialogue")) {
          dialogues.forEach(
              (key, passed) -> {
                if (key.startsWith(language + "\t")) {
                  cell[0] += passed ? 1 : 0;
                  cell[1]++;
                }
              });
        } else {
          for (Result result : results) {
            if (result.input().group().equals(group) && result.input().language() == language) {
              cell[0] += result.passed() ? 1 : 0;
              cell[1]++;
            }
          }
        }
        cells.put(group + "\t" + language, cell);
      }
    }
    StringBuilder out = new StringBuilder("| group | EN | ZH |\n|---|---|---|\n");
    int[][] totals = new int[2][2];
    for (String group : groups) {
      out.append("| ").append(group).append(group.equals("dialogue") ? " (whole)" : "");
      for (Language language : Language.values()) {
        int[] cell = cells.get(group + "\t" + language);
        totals[language.ordinal()][0] += cell[0];
        totals[language.ordinal()][1] += cell[1];
        out.append(" | ").append(cell(cell));
      }
      out.append(" |\n");
    }
    out.append("| all cases | ")
        .append(cell(totals[0]))
        .append(" | ")
        .append(cell(totals[1]))
        .append(" |\n");
    long turns = results.stream().filter(Result::passed).count();
    int all = totals[0][1] + totals[1][1];
    out.append(
        String.format(
            Locale.ROOT,
            "%nOverall: %d/%d cases (%.1f%%); %d/%d turns (%.1f%%).%n",
            totals[0][0] + totals[1][0],
            all,
            100.0 * (totals[0][0] + totals[1][0]) / all,
            turns,
            results.size(),
            100.0 * turns / results.size()));
    return out.toString();
  }

  private static String cell(int[] cell) {
    return String.format(
        Locale.ROOT,
        "%d/%d (%.1f%%)",
        cell[0],
        cell[1],
        cell[1] == 0 ? 0 : 100.0 * cell[0] / cell[1]);
  }

  @Option(names = "--model-dir", description = "A checkpoint folder (default: the embedded model).")
  Path directory;

  @Option(
      names = "--set",
      description =
          "Which hand-written set: frozen (frozen v1, reports only), frozen-v2 (frozen v2, reports"
              + " only), frozen-v3 (frozen v3, reports only), frozen-v4 (frozen v4, reports only)"
              + " or dev (for choosing); default"
              + " ${DEFAULT-VALUE}.")
  String set = "frozen";

  /**
   * Scores a model folder (default: the embedded model) and prints the table and every failure.
   *
   * @param args {@code --model-dir PATH --set frozen|frozen-v2|frozen-v3|frozen-v4|dev}, each
   *     optional
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new FrozenEvaluation()).execute(args));
  }

  @Override
  public Integer call() {
    try (LocalGptModel model =
        LocalGptModel.load(directory != null ? directory : ShopModel.directory())) {
      String resource =
          switch (set) {
            case "frozen" -> RESOURCE;
            case "frozen-v2" -> V2_RESOURCE;
            case "frozen-v3" -> V3_RESOURCE;
            case "frozen-v4" -> V4_RESOURCE;
            case "dev" -> DEV_RESOURCE;
            default ->
                throw new CommandLine.ParameterException(
                    new CommandLine(this),
                    "--set is frozen, frozen-v2, frozen-v3, frozen-v4 or dev, was " + set);
          };
      List<Result> results = run(ShopAgent.create(model), cases(resource));
      System.out.print(table(results));
      System.out.println();
      for (Result result : results) {
        if (!result.passed()) {
          System.out.println(
              "failed "
                  + result.input().id()
                  + " ["
                  + result.input().expectation()
                  + "] "
                  + result.input().message()
                  + " -> "
                  + result.reply().replace("\n", "\\n")
                  + "  ("
                  + String.join("; ", result.failures())
                  + ")");
        }
      }
    }
    return 0;
  }
}
