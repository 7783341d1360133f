/**
 * Agent definition files: {@link dev.colloquy.dsl.Definitions} compiles them to core agents, {@link
 * dev.colloquy.dsl.AgentLoader} reloads them as they change, {@link
 * dev.colloquy.dsl.DefinitionChecker} validates a folder in CI, and {@link dev.colloquy.dsl.Dsl}
 * parses and prints them.
 */
package dev.colloquy.dsl;
