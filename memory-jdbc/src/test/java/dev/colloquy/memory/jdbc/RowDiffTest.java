package dev.colloquy.memory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RowDiffTest {

  @Test
  void aSlidingWindowDeletesTheDroppedRowsAndInsertsOnlyTheNewTurn() {
    // Old: system prompt at 0, then messages at 7..10; the window drops two and appends a turn.
    List<Long> positions = List.of(0L, 7L, 8L, 9L, 10L);
    List<String> old = List.of("S", "q1", "a1", "q2", "a2");
    List<String> next = List.of("S", "q2", "a2", "q3", "a3");

    RowDiff diff = RowDiff.plan(positions, old, next);

    assertThat(diff.deletes()).isTrue();
    assertThat(diff.deleteFrom()).isEqualTo(7);
    assertThat(diff.deleteTo()).isEqualTo(8);
    assertThat(diff.insertFrom()).isEqualTo(3);
    assertThat(diff.firstPosition()).isEqualTo(11);
  }

  @Test
  void anAppendDeletesNothing() {
    RowDiff diff = RowDiff.plan(List.of(3L, 4L), List.of("q", "a"), List.of("q", "a", "q", "a"));

    assertThat(diff.deletes()).isFalse();
    assertThat(diff.insertFrom()).isEqualTo(2);
    assertThat(diff.firstPosition()).isEqualTo(5);
  }

  @Test
  void aFirstSaveInsertsEverythingFromPositionZero() {
    RowDiff diff = RowDiff.plan(List.of(), List.of(), List.of("q", "a"));

    assertThat(diff.deletes()).isFalse();
    assertThat(diff.insertFrom()).isZero();
    assertThat(diff.firstPosition()).isZero();
  }

  static LongStream seeds() {
    return new Random(20261206).longs(200);
  }

  /** Applying any plan to any rows gives exactly the new list, in position order. */
  @ParameterizedTest
  @MethodSource("seeds")
  void applyingThePlanGivesExactlyTheNewList(long seed) {
    Random random = new Random(seed);
    TreeMap<Long, String> rows = new TreeMap<>();
    long position = random.nextInt(5);
    for (int i = random.nextInt(12); i > 0; i--) {
      rows.put(position, "k" + random.nextInt(3));
      position += 1 + random.nextInt(3);
    }
    List<String> old = new ArrayList<>(rows.values());
    List<String> next = nextList(random, old);

    RowDiff diff = RowDiff.plan(new ArrayList<>(rows.keySet()), old, next);
    long lastOld = rows.isEmpty() ? -1 : rows.lastKey();
    if (diff.deletes()) {
      rows.subMap(diff.deleteFrom(), true, diff.deleteTo(), true).clear();
    }
    long p = diff.firstPosition();
    for (int i = diff.insertFrom(); i < next.size(); i++) {
      assertThat(rows.put(p++, next.get(i)))
          .as("seed %d: a new row reuses a position", seed)
          .isNull();
    }

    assertThat(rows.values())
        .as("seed %d: %s -> %s", seed, old, next)
        .containsExactlyElementsOf(next);
    assertThat(diff.firstPosition()).as("seed %d", seed).isGreaterThan(lastOld);
    int inserted = next.size() - diff.insertFrom();
    int kept = rows.size() - inserted;
    assertThat(kept).as("seed %d: rows kept", seed).isGreaterThanOrEqualTo(commonPrefix(old, next));
  }

  private static List<String> nextList(Random random, List<String> old) {
    List<String> next = new ArrayList<>();
    switch (random.nextInt(4)) {
      case 0 -> {
        // A window: maybe the first row stays, a cut, then appended rows.
        if (!old.isEmpty() && random.nextBoolean()) {
          next.add(old.get(0));
        }
        int cut = old.isEmpty() ? 0 : random.nextInt(old.size() + 1);
        next.addAll(old.subList(Math.max(cut, next.size()), old.size()));
        for (int i = random.nextInt(4); i > 0; i--) {
          next.add("k" + random.nextInt(3));
        }
      }
      case 1 -> next.addAll(old.subList(0, old.isEmpty() ? 0 : random.nextInt(old.size() + 1)));
      default -> {
        for (int i = random.nextInt(10); i > 0; i--) {
          next.add("k" + random.nextInt(3));
        }
      }
    }
    return next;
  }

  private static int commonPrefix(List<String> a, List<String> b) {
    int n = 0;
    while (n < a.size() && n < b.size() && a.get(n).equals(b.get(n))) {
      n++;
    }
    return n;
  }

  @Test
  void keysAreComparedByValue() {
    RowDiff diff =
        RowDiff.plan(List.of(0L), List.of(new String("same")), List.of(new String("same"), "new"));

    assertThat(diff.deletes()).isFalse();
    assertThat(diff.insertFrom()).isEqualTo(1);
  }
}
