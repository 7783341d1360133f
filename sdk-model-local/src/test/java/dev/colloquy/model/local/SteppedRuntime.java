package dev.colloquy.model.local;

import dev.colloquy.model.local.internal.runtime.GptRuntime;
import dev.colloquy.model.local.internal.runtime.GptSequence;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real runtime that records each {@link #appendAll} step it is given and can hold steps until a
 * test lets them run, so that tests decide who is waiting when a step ends.
 */
final class SteppedRuntime implements GptRuntime {

  /** One sequence's part of a step. */
  record Row(GptSequence sequence, int tokens) {}

  private static final int OPEN = 1 << 30;

  private final GptRuntime engine;
  private final List<List<Row>> steps = new CopyOnWriteArrayList<>();
  private final Semaphore permits = new Semaphore(OPEN);
  private final AtomicBoolean closed = new AtomicBoolean();

  SteppedRuntime(GptRuntime engine) {
    this.engine = engine;
  }

  /** Makes the steps that arrive from now on wait for {@link #allow} or {@link #open}. */
  void hold() {
    permits.drainPermits();
  }

  /** Lets {@code count} more steps run. */
  void allow(int count) {
    permits.release(count);
  }

  /** Lets every step run. */
  void open() {
    permits.release(OPEN);
  }

  /** Returns the steps that arrived so far, running, held or done, oldest first. */
  List<List<Row>> steps() {
    return List.copyOf(steps);
  }

  boolean isClosed() {
    return closed.get();
  }

  @Override
  public float[][] appendAll(List<GptSequence> sequences, List<int[]> tokens) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < sequences.size(); i++) {
      rows.add(new Row(sequences.get(i), tokens.get(i).length));
    }
    steps.add(List.copyOf(rows));
    permits.acquireUninterruptibly();
    if (closed.get()) {
      throw new AssertionError("a step ran after the runtime was closed");
    }
    return engine.appendAll(sequences, tokens);
  }

  @Override
  public int contextLength() {
    return engine.contextLength();
  }

  @Override
  public int vocabularySize() {
    return engine.vocabularySize();
  }

  @Override
  public List<Integer> endOfTextIds() {
    return engine.endOfTextIds();
  }

  @Override
  public GptSequence newSequence(int capacity) {
    return engine.newSequence(capacity);
  }

  @Override
  public String description() {
    return "stepped " + engine.description();
  }

  @Override
  public void close() {
    closed.set(true);
    engine.close();
  }
}
