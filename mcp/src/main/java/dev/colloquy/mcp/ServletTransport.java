package dev.colloquy.mcp;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.http.HttpServlet;

/**
 * The Streamable HTTP side of {@link McpToolServer}, apart so that the server class loads without
 * the servlet API, which only this needs.
 */
final class ServletTransport {
  private ServletTransport() {}

  static HttpServlet serve(McpToolServer server, String endpoint) {
    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(Connector.MAPPER)
            .mcpEndpoint(endpoint)
            .build();
    server.serve(McpServer.sync(transport));
    return transport;
  }
}
