package dev.colloquy.dsl.internal.syntax;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Where each node of a parsed tree came from. Keyed by identity: the tree's records have value
 * equality, and two equal nodes at different places must keep their own positions.
 */
public final class SourceMap {
  private final Map<Object, Token> at = new IdentityHashMap<>();
  private final Map<Object, Token> textAt = new IdentityHashMap<>();

  void put(Object node, Token token) {
    at.put(node, token);
  }

  void putText(Object node, Token token) {
    textAt.put(node, token);
  }

  /** Returns the token that best locates a node (its name or keyword). */
  public Token at(Object node) {
    Token t = at.get(node);
    if (t == null) {
      throw new IllegalStateException(
          "no position recorded for " + node.getClass().getSimpleName());
    }
    return t;
  }

  /** Returns the text token of a template or inline prompt, or the node's token. */
  public Token textAt(Object node) {
    Token t = textAt.get(node);
    return t != null ? t : at(node);
  }
}
