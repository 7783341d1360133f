package dev.colloquy.dsl.internal.compile;

import dev.colloquy.dsl.ast.Declaration;
import dev.colloquy.dsl.internal.syntax.ParsedSource;
import java.util.List;
import java.util.Map;

/**
 * An {@code mcp} declaration after checking: exactly one of a command and a URL, every secret it
 * names declared. Connecting it is the application's {@code McpConnector}'s job.
 *
 * @param name the server's name in the files
 * @param command the program and its arguments; empty for a URL
 * @param url the Streamable HTTP endpoint; empty for a command
 * @param environment environment variables and the names of the secrets holding their values
 * @param headers HTTP headers and the names of the secrets holding their values
 * @param tools the allow-list, the server's own tool names; empty for all
 * @param file the file that declares it, for errors found when it connects
 * @param declaration the declaration, for errors found when it connects
 */
public record McpPlan(
    String name,
    List<String> command,
    String url,
    Map<String, String> environment,
    Map<String, String> headers,
    List<String> tools,
    ParsedSource file,
    Declaration.McpServer declaration) {}
