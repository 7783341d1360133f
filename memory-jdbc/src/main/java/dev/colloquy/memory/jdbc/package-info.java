/**
 * Conversation memory in a relational database: {@link dev.colloquy.memory.jdbc.JdbcMemoryStore} on
 * PostgreSQL or SQLite.
 */
package dev.colloquy.memory.jdbc;
