/**
 * Colloquy's agent definition language: parser, printer, compiler to core agents, loader, check.
 */
module dev.colloquy.dsl {
  requires transitive dev.colloquy.core;

  exports dev.colloquy.dsl;
  exports dev.colloquy.dsl.ast;
}
