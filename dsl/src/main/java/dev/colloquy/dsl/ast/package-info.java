/**
 * The syntax tree of agent definition files: immutable records with value equality.
 *
 * <p>Positions are not part of these values (they live beside the tree, inside the parser's
 * result), so that a definition parsed from its printed form equals the original.
 */
package dev.colloquy.dsl.ast;
