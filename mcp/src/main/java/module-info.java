/**
 * Colloquy's Model Context Protocol module: the tools of MCP servers as Colloquy tools (stdio and
 * Streamable HTTP), and a Colloquy toolbox served to MCP clients; on the official MCP Java SDK,
 * which stays out of this module's API.
 */
module dev.colloquy.mcp {
  requires transitive dev.colloquy.core;
  requires static transitive dev.colloquy.dsl;
  requires static transitive jakarta.servlet;
  requires io.modelcontextprotocol.sdk.mcp.core;
  requires io.modelcontextprotocol.sdk.mcp.json.jackson2;
  requires reactor.core;
  requires org.reactivestreams;
  requires com.fasterxml.jackson.databind;
  requires java.net.http;
  requires org.slf4j;

  exports dev.colloquy.mcp;
}
