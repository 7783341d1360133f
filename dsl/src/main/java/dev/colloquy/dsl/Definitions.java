package dev.colloquy.dsl;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.chain.Chain;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.memory.InMemoryStore;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.core.memory.Summarizer;
import dev.colloquy.core.model.ChatModel;
import dev.colloquy.core.model.TokenCounter;
import dev.colloquy.core.prompt.PromptTemplate;
import dev.colloquy.core.tool.ToolDefinition;
import dev.colloquy.dsl.ast.Declaration;
import dev.colloquy.dsl.ast.DefinitionFile;
import dev.colloquy.dsl.ast.SecretSource;
import dev.colloquy.dsl.internal.compile.AgentFactory;
import dev.colloquy.dsl.internal.compile.AgentPlan;
import dev.colloquy.dsl.internal.compile.Checker;
import dev.colloquy.dsl.internal.compile.FlowCompiler;
import dev.colloquy.dsl.internal.syntax.ParsedSource;
import dev.colloquy.dsl.internal.syntax.SourceReader;
import dev.colloquy.dsl.internal.syntax.Suggestions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A compiled set of definition files: core {@link Agent}s, flows as core {@link Chain}s, {@link
 * PromptTemplate}s and secrets, by name. Everything is built with the core's own builders and
 * factories: a definition behaves exactly like the same thing written in Java.
 *
 * <pre>{@code
 * Definitions definitions = Definitions.load(Path.of("agents"), bindings);
 * Agent support = definitions.agent("support");
 * }</pre>
 *
 * <p>Loading is all or nothing: any error in any file throws one {@link DslException} listing every
 * error of every file.
 *
 * <p>Immutable and thread-safe.
 */
public final class Definitions {
  /** The file name extension of definition files. */
  public static final String EXTENSION = ".colloquy";

  // How deep below the folder files are read (the folder's own files are at depth 1).
  static final int MAX_DEPTH = 16;

  private final List<DefinitionFile> files;
  private final Map<String, Agent> agents;
  private final Map<String, PromptTemplate> templates;
  private final Map<String, Chain<Object, Object>> flows;
  private final Map<String, Secret> secrets;

  private Definitions(
      List<DefinitionFile> files,
      Map<String, Agent> agents,
      Map<String, PromptTemplate> templates,
      Map<String, Chain<Object, Object>> flows,
      Map<String, Secret> secrets) {
    this.files = List.copyOf(files);
    this.agents = java.util.Collections.unmodifiableMap(agents);
    this.flows = java.util.Collections.unmodifiableMap(flows);
    this.templates = java.util.Collections.unmodifiableMap(templates);
    this.secrets = java.util.Collections.unmodifiableMap(secrets);
  }

  /**
   * Loads every {@code *.colloquy} file under a folder (sub-folders included, in path order).
   *
   * @param folder the folder
   * @param bindings what the files may name
   * @throws DslException listing every error of every file
   */
  public static Definitions load(Path folder, Bindings bindings) {
    return compile(
        readFolder(folder), bindings, (name, plan, build) -> build.apply(InMemoryStore.create()));
  }

  /**
   * Compiles definition texts.
   *
   * @param sources the files' texts
   * @param bindings what the files may name
   * @throws DslException listing every error of every file
   */
  public static Definitions compile(List<Source> sources, Bindings bindings) {
    List<ParsedSource> parsed = new ArrayList<>();
    for (Source s : sources) {
      parsed.add(ParsedSource.parse(s.name(), s.text()));
    }
    return compile(parsed, bindings, (name, plan, build) -> build.apply(InMemoryStore.create()));
  }

  /**
   * Compiles definition texts, keeping every agent's conversations in the given store (a shared or
   * persistent one, say); each agent gets a {@code ChatMemory} with its own window over it. Agents
   * that share a store and a conversation id share that conversation's history.
   *
   * @param sources the files' texts
   * @param bindings what the files may name
   * @param store where the agents keep conversations
   * @throws DslException listing every error of every file
   */
  public static Definitions compile(List<Source> sources, Bindings bindings, MemoryStore store) {
    Objects.requireNonNull(store, "store");
    List<ParsedSource> parsed = new ArrayList<>();
    for (Source s : sources) {
      parsed.add(ParsedSource.parse(s.name(), s.text()));
    }
    return compile(parsed, bindings, (name, plan, build) -> build.apply(store));
  }

  /** The loader's hook: gives an agent its memory, given its policy and how to build one. */
  interface Memories {
    ChatMemory memory(
        String agent, AgentPlan.MemoryPlan plan, Function<MemoryStore, ChatMemory> build);
  }

  // The summary of dropped turns: a few sentences, about a paragraph.
  private static final int SUMMARY_TOKENS = 256;

  private static ChatMemory memory(
      AgentPlan.MemoryPlan plan, MemoryStore store, ChatModel model, Bindings bindings) {
    ChatMemory.Builder memory = ChatMemory.builder().store(store);
    if (plan.window() != 0) {
      memory.maxMessages(plan.window());
    }
    if (plan.tokens() != 0) {
      memory.maxTokens(plan.tokens(), model.tokenCounter().orElseGet(TokenCounter::estimate));
    }
    if (!plan.summarizer().isEmpty()) {
      memory.summarizer(
          Summarizer.using(bindings.model(plan.summarizer()).orElseThrow(), SUMMARY_TOKENS));
    }
    return memory.build();
  }

  /** Compiles parsed files; {@code memories} gives each agent its memory (the loader's hook). */
  static Definitions compile(List<ParsedSource> parsed, Bindings bindings, Memories memories) {
    Objects.requireNonNull(bindings, "bindings");
    throwIfErrors(parsed);
    Checker.Result checked = Checker.check(parsed, names(bindings, true));
    throwIfErrors(parsed);
    Map<String, PromptTemplate> templates = new LinkedHashMap<>();
    for (Declaration.Template t : checked.templates().values()) {
      templates.put(
          t.name(), PromptTemplate.declared(t.name(), t.text(), Set.copyOf(t.variables())));
    }
    // Flows find agents when they run, so agents and flows may name each other.
    Map<String, Agent> agents = new LinkedHashMap<>();
    FlowCompiler flowCompiler = new FlowCompiler(bindings, agents, templates);
    Map<String, Chain<Object, Object>> flows = new LinkedHashMap<>();
    for (Declaration.Flow f : checked.flows().values()) {
      Chain<Object, Object> flow = flowCompiler.compile(f);
      flows.put(f.name(), bindings.tracing().map(t -> t.workflow(f.name(), flow)).orElse(flow));
    }
    Map<String, Secret> secrets = new LinkedHashMap<>();
    for (Declaration.Secret s : checked.secrets().values()) {
      String value =
          s.source() instanceof SecretSource.Environment env
              ? bindings.environmentVariable(env.variable()).orElseThrow()
              : ((SecretSource.Inline) s.source()).value();
      secrets.put(s.name(), new Secret(s.name(), value));
    }
    Map<String, List<ToolDefinition>> mcpTools =
        McpServers.connect(checked, bindings, secrets, bindings.mcp());
    throwIfErrors(parsed);
    for (AgentPlan plan : checked.agents().values()) {
      List<ToolDefinition> tools = new ArrayList<>();
      for (String tool : plan.tools()) {
        if (bindings.tool(tool).isPresent()) {
          tools.add(bindings.tool(tool).get());
        } else if (mcpTools.containsKey(tool)) {
          tools.addAll(mcpTools.get(tool));
        } else {
          tools.add(FlowCompiler.asTool(tool, flows.get(tool)));
        }
      }
      if (!McpServers.checkClashes(plan, tools, checked)) {
        continue;
      }
      ChatModel model = bindings.model(plan.model()).orElseThrow();
      agents.put(
          plan.name(),
          AgentFactory.build(
              plan,
              model,
              memories.memory(
                  plan.name(),
                  plan.memory(),
                  store -> memory(plan.memory(), store, model, bindings)),
              tools,
              guard -> bindings.guard(guard).orElseThrow(),
              bindings.tracing()));
    }
    throwIfErrors(parsed);
    return new Definitions(
        parsed.stream().map(ParsedSource::file).toList(), agents, templates, flows, secrets);
  }

  /** Checks parsed files without the application's bindings (for {@link Check}). */
  static List<Diagnostic> check(List<ParsedSource> parsed, Checker.Names names) {
    if (!hasErrors(parsed)) {
      Checker.check(parsed, names);
    }
    return diagnostics(parsed);
  }

  static Checker.Names names(Bindings bindings, boolean checkBound) {
    return new Checker.Names(
        bindings.modelNames(),
        bindings.toolNames(),
        bindings.functionNames(),
        bindings.predicateNames(),
        bindings.guardNames(),
        checkBound,
        bindings::environmentVariable);
  }

  /** Reads and parses every definition file under a folder; unreadable files become errors. */
  static List<ParsedSource> readFolder(Path folder) {
    Objects.requireNonNull(folder, "folder");
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(folder, MAX_DEPTH)) {
      paths =
          walk.filter(p -> p.getFileName().toString().endsWith(EXTENSION) && Files.isRegularFile(p))
              .sorted()
              .toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new DslException(
          List.of(
              new Diagnostic(
                  folder.toString(),
                  0,
                  0,
                  "cannot list the folder: " + e.getClass().getSimpleName(),
                  "",
                  0,
                  1,
                  List.of("check that it exists and is readable"))));
    }
    List<ParsedSource> parsed = new ArrayList<>();
    for (Path p : paths) {
      String name = folder.relativize(p).toString().replace('\\', '/');
      parsed.add(SourceReader.read(p, name, SourceReader.DEFAULT_MAX_BYTES));
    }
    return parsed;
  }

  private static boolean hasErrors(List<ParsedSource> parsed) {
    return parsed.stream().anyMatch(p -> p.reporter().hasErrors());
  }

  private static List<Diagnostic> diagnostics(List<ParsedSource> parsed) {
    List<Diagnostic> all = new ArrayList<>();
    for (ParsedSource p : parsed) {
      all.addAll(p.reporter().diagnostics());
      if (all.size() >= DslException.MAX_REPORTED) {
        return all.subList(0, DslException.MAX_REPORTED);
      }
    }
    return all;
  }

  private static void throwIfErrors(List<ParsedSource> parsed) {
    if (hasErrors(parsed)) {
      throw new DslException(diagnostics(parsed));
    }
  }

  /**
   * Returns an agent.
   *
   * @param name the agent's name in the files
   * @throws IllegalArgumentException when no agent has that name (the message lists those that do)
   */
  public Agent agent(String name) {
    return lookup(agents, "agent", name);
  }

  /** Returns the agents' names, in declaration order. */
  public Set<String> agentNames() {
    return agents.keySet();
  }

  /**
   * Returns a flow as a core chain. Its input is any value (text for a flow that starts by asking a
   * model or an agent); its output is the last step's output.
   *
   * @param name the flow's name
   * @throws IllegalArgumentException when no flow has that name
   */
  public Chain<Object, Object> flow(String name) {
    return lookup(flows, "flow", name);
  }

  /** Returns the flows' names, in declaration order. */
  public Set<String> flowNames() {
    return flows.keySet();
  }

  /**
   * Returns a template declared with {@code template}.
   *
   * @param name the template's name
   * @throws IllegalArgumentException when no template has that name
   */
  public PromptTemplate template(String name) {
    return lookup(templates, "template", name);
  }

  /** Returns the templates' names, in declaration order. */
  public Set<String> templateNames() {
    return templates.keySet();
  }

  /**
   * Returns a secret declared with {@code secret}.
   *
   * @param name the secret's name
   * @throws IllegalArgumentException when no secret has that name
   */
  public Secret secret(String name) {
    return lookup(secrets, "secret", name);
  }

  /** Returns the parsed files, in load order. */
  public List<DefinitionFile> files() {
    return files;
  }

  private static <T> T lookup(Map<String, T> map, String kind, String name) {
    Objects.requireNonNull(name, "name");
    T value = map.get(name);
    if (value == null) {
      throw new IllegalArgumentException(
          "no "
              + kind
              + " named '"
              + name
              + "'; "
              + String.join("; ", Suggestions.forUnknown(kind + "s", name, map.keySet())));
    }
    return value;
  }
}
