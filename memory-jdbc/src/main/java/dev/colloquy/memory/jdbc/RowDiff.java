package dev.colloquy.memory.jdbc;

import java.util.List;
import java.util.Objects;

/**
 * How a save turns the rows a conversation holds into the list it saves, touching as few rows as it
 * can: a window that drops the oldest messages and appends a turn deletes the dropped rows and
 * inserts the new ones, and leaves the rest alone.
 *
 * <p>The old rows keep their order by position. The plan keeps the longest common prefix of the old
 * and new lists (system messages that stay at the front) and, after it, the longest run of old rows
 * at the end that the new list continues with (the window's kept part); it deletes the old rows
 * between them and inserts the rest of the new list after the last old position. Positions
 * therefore only grow within a conversation, and reading the rows by position gives exactly the new
 * list, whatever the lists are (duplicates included).
 *
 * @param deleteFrom the first position to delete, inclusive (meaningful when {@link #deletes})
 * @param deleteTo the last position to delete, inclusive
 * @param insertFrom the index in the new list of the first element to insert
 * @param firstPosition the position of the first inserted row; the next ones follow
 */
record RowDiff(long deleteFrom, long deleteTo, int insertFrom, long firstPosition) {

  /** Returns whether the plan deletes rows. */
  boolean deletes() {
    return deleteFrom <= deleteTo;
  }

  /**
   * Plans the change from the old rows to the new list.
   *
   * @param oldPositions the old rows' positions, strictly increasing
   * @param oldKeys the old rows' contents, compared with {@code equals}
   * @param newKeys the new list's contents
   */
  static RowDiff plan(List<Long> oldPositions, List<String> oldKeys, List<String> newKeys) {
    int oldSize = oldKeys.size();
    int newSize = newKeys.size();
    int prefix = 0;
    while (prefix < oldSize
        && prefix < newSize
        && Objects.equals(oldKeys.get(prefix), newKeys.get(prefix))) {
      prefix++;
    }
    int oldRest = oldSize - prefix;
    int newRest = newSize - prefix;
    // The longest tail of the old rest that the new rest starts with.
    int kept = 0;
    for (int k = Math.min(oldRest, newRest); k > 0; k--) {
      if (startsWithTail(oldKeys, oldSize - k, newKeys, prefix, k)) {
        kept = k;
        break;
      }
    }
    int deleteCount = oldRest - kept;
    long deleteFrom = deleteCount > 0 ? oldPositions.get(prefix) : 0;
    long deleteTo = deleteCount > 0 ? oldPositions.get(prefix + deleteCount - 1) : -1;
    long next = oldSize == 0 ? 0 : oldPositions.get(oldSize - 1) + 1;
    return new RowDiff(deleteFrom, deleteTo, prefix + kept, next);
  }

  private static boolean startsWithTail(
      List<String> old, int oldStart, List<String> fresh, int freshStart, int length) {
    for (int i = 0; i < length; i++) {
      if (!Objects.equals(old.get(oldStart + i), fresh.get(freshStart + i))) {
        return false;
      }
    }
    return true;
  }
}
