package dev.colloquy.dsl;

import dev.colloquy.core.agent.Agent;
import dev.colloquy.core.memory.ChatMemory;
import dev.colloquy.core.memory.InMemoryStore;
import dev.colloquy.core.memory.MemoryStore;
import dev.colloquy.dsl.internal.compile.AgentPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Keeps the definitions of a folder loaded while the files change.
 *
 * <p>Each reload reads the whole folder. A valid set of files replaces the definitions at once: the
 * next call of {@link #agent} returns the new agent, and a turn already running finishes on the old
 * one. Each agent keeps its {@link ChatMemory} across reloads (the same instance while its memory
 * policy is unchanged; a new policy over the same store otherwise), so conversations go on. An
 * invalid set keeps the last good definitions running and hands the errors to the error listener.
 *
 * <p>Without a {@link MemoryStore} each agent keeps its conversations in an in-memory store of its
 * own. Given one ({@link #load(Path, Bindings, MemoryStore, Consumer)}, {@link #watch(Path,
 * Bindings, MemoryStore, Consumer)}), every agent keeps them in that store, with the window its
 * file sets, before and after each reload.
 *
 * <pre>{@code
 * try (AgentLoader loader = AgentLoader.watch(Path.of("agents"), bindings,
 *     errors -> log.warn("agent definitions not reloaded:\n{}", errors.getMessage()))) {
 *   String reply = loader.agent("support").chat("customer-42", "Where is order 1001?");
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class AgentLoader implements AutoCloseable {
  // Editors save in several steps (truncate, write, rename): wait for the burst to settle.
  private static final Duration SETTLE = Duration.ofMillis(100);

  private final Path folder;
  private final Bindings bindings;
  private final Consumer<DslException> onError;
  // The store of an agent seen for the first time.
  private final Supplier<MemoryStore> newStore;
  private final Map<String, Kept> memories = new HashMap<>();
  private volatile Definitions current;
  private WatchService watchService;
  private Thread watcher;

  private AgentLoader(
      Path folder,
      Bindings bindings,
      Supplier<MemoryStore> newStore,
      Consumer<DslException> onError) {
    this.folder = Objects.requireNonNull(folder, "folder");
    this.bindings = Objects.requireNonNull(bindings, "bindings");
    this.newStore = Objects.requireNonNull(newStore, "newStore");
    this.onError = Objects.requireNonNull(onError, "onError");
  }

  /**
   * Loads a folder once, without watching it; call {@link #reload()} to pick up changes. Each agent
   * keeps its conversations in an in-memory store of its own.
   *
   * @param folder the folder of {@code *.colloquy} files
   * @param bindings what the files may name
   * @param onError receives the errors of each reload that fails
   * @throws DslException when the first load fails: there is no good version to keep
   */
  public static AgentLoader load(Path folder, Bindings bindings, Consumer<DslException> onError) {
    return loaded(new AgentLoader(folder, bindings, InMemoryStore::create, onError));
  }

  /**
   * Loads a folder once, without watching it, keeping every agent's conversations in the given
   * store; call {@link #reload()} to pick up changes. Each agent gets a {@link ChatMemory} with its
   * own window over the store, also after a reload that changes the window. Agents that share a
   * conversation id share that conversation's history.
   *
   * @param folder the folder of {@code *.colloquy} files
   * @param bindings what the files may name
   * @param store where the agents keep conversations (a shared or persistent one, say)
   * @param onError receives the errors of each reload that fails
   * @throws DslException when the first load fails: there is no good version to keep
   */
  public static AgentLoader load(
      Path folder, Bindings bindings, MemoryStore store, Consumer<DslException> onError) {
    Objects.requireNonNull(store, "store");
    return loaded(new AgentLoader(folder, bindings, () -> store, onError));
  }

  private static AgentLoader loaded(AgentLoader loader) {
    loader.current = loader.compile();
    return loader;
  }

  /**
   * Loads a folder and reloads it on every change, on a daemon thread, until closed. Changes in
   * sub-folders count, including sub-folders created or moved in after the watch started.
   *
   * @param folder the folder of {@code *.colloquy} files
   * @param bindings what the files may name
   * @param onError receives the errors of each reload that fails
   * @throws DslException when the first load fails
   * @throws UncheckedIOException when the folder cannot be watched
   */
  public static AgentLoader watch(Path folder, Bindings bindings, Consumer<DslException> onError) {
    return watching(load(folder, bindings, onError));
  }

  /**
   * Loads a folder and reloads it on every change, as {@link #watch(Path, Bindings, Consumer)}
   * does, keeping every agent's conversations in the given store as {@link #load(Path, Bindings,
   * MemoryStore, Consumer)} does.
   *
   * @param folder the folder of {@code *.colloquy} files
   * @param bindings what the files may name
   * @param store where the agents keep conversations (a shared or persistent one, say)
   * @param onError receives the errors of each reload that fails
   * @throws DslException when the first load fails
   * @throws UncheckedIOException when the folder cannot be watched
   */
  public static AgentLoader watch(
      Path folder, Bindings bindings, MemoryStore store, Consumer<DslException> onError) {
    return watching(load(folder, bindings, store, onError));
  }

  private static AgentLoader watching(AgentLoader loader) {
    try {
      loader.startWatching();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch " + loader.folder, e);
    }
    return loader;
  }

  /**
   * Returns the current version of an agent; call it for each turn to pick up reloads.
   *
   * @param name the agent's name
   * @throws IllegalArgumentException when no agent has that name
   */
  public Agent agent(String name) {
    return current.agent(name);
  }

  /** Returns the current definitions. */
  public Definitions definitions() {
    return current;
  }

  /**
   * Reads the folder again now.
   *
   * @return true when the definitions were replaced; false when the files have errors (they went to
   *     the error listener and the last good definitions stay)
   */
  public synchronized boolean reload() {
    try {
      current = compile();
      return true;
    } catch (DslException e) {
      onError.accept(e);
      return false;
    }
  }

  private synchronized Definitions compile() {
    Map<String, Kept> next = new HashMap<>();
    Definitions compiled =
        Definitions.compile(
            Definitions.readFolder(folder),
            bindings,
            (name, plan, build) -> {
              Kept old = memories.get(name);
              Kept kept =
                  old == null
                      ? new Kept(plan, build.apply(newStore.get()))
                      : old.plan().equals(plan)
                          ? old
                          : new Kept(plan, build.apply(old.memory().store()));
              next.put(name, kept);
              return kept.memory();
            });
    // Only a successful load changes which memories are kept.
    memories.clear();
    memories.putAll(next);
    return compiled;
  }

  private void startWatching() throws IOException {
    watchService = FileSystems.getDefault().newWatchService();
    watchTree(folder, Definitions.MAX_DEPTH - 1);
    watcher = new Thread(this::watchLoop, "colloquy-dsl-watcher");
    watcher.setDaemon(true);
    watcher.start();
  }

  // Registers a folder before listing it, so a sub-folder created meanwhile is in the listing or
  // raises an event on the folder. Registering a folder again returns its existing key.
  private void watchTree(Path dir, int depth) throws IOException {
    try {
      dir.register(
          watchService,
          StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
    } catch (NoSuchFileException e) {
      return; // deleted since its parent was listed: there is nothing left to watch
    }
    if (depth == 0) {
      return;
    }
    List<Path> children;
    try (Stream<Path> list = Files.list(dir)) {
      children = list.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
    } catch (NoSuchFileException e) {
      return;
    }
    for (Path child : children) {
      watchTree(child, depth - 1);
    }
  }

  private void watchLoop() {
    try {
      while (true) {
        WatchKey key = watchService.take();
        Thread.sleep(SETTLE.toMillis());
        drain(key);
        WatchKey more;
        while ((more = watchService.poll(SETTLE.toMillis(), TimeUnit.MILLISECONDS)) != null) {
          drain(more);
        }
        watchNewFolders();
        reload();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // Closing the loader ends the thread; nothing is left to do.
      Thread.currentThread().interrupt();
    }
  }

  // A WatchService reports only on folders registered with it, so each burst registers the folders
  // created or moved in since the last one, at any depth, before the reload reads their files.
  // Walking the whole tree is cheap next to the reload, which reads every file, and unlike the
  // events' paths it stays right after a folder is renamed. A deleted folder's key goes invalid by
  // itself and reset() drops it.
  private void watchNewFolders() {
    try {
      watchTree(folder, Definitions.MAX_DEPTH - 1);
    } catch (IOException | UncheckedIOException e) {
      onError.accept(
          new DslException(
              List.of(
                  new Diagnostic(
                      folder.toString(),
                      0,
                      0,
                      "cannot watch a new sub-folder: " + e,
                      "",
                      0,
                      1,
                      List.of(
                          "its files are loaded, but later edits in it are seen only at the next reload",
                          "check the system's limit of watched folders (fs.inotify.max_user_watches on Linux)")))));
    }
  }

  private static void drain(WatchKey key) {
    key.pollEvents();
    key.reset();
  }

  /** Stops watching; the current definitions stay usable. */
  @Override
  public void close() {
    if (watchService != null) {
      try {
        watchService.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      watcher.interrupt();
      try {
        watcher.join(SETTLE.multipliedBy(10).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private record Kept(AgentPlan.MemoryPlan plan, ChatMemory memory) {}
}
