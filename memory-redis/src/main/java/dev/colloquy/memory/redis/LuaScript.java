package dev.colloquy.memory.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One of the store's Lua scripts: common.lua followed by the script's own file, and the SHA-1 by
 * which {@code EVALSHA} names it in the server's script cache.
 *
 * @param name the file name without {@code .lua}, for messages
 * @param text the whole script
 * @param sha1 the lowercase hex SHA-1 of {@code text}
 */
record LuaScript(String name, String text, String sha1) {

  static final LuaScript SAVE = load("save");
  static final LuaScript DELETE = load("delete");
  static final LuaScript LIST = load("list");
  static final LuaScript DELETE_TENANT = load("delete-tenant");
  static final LuaScript SWEEP = load("sweep");

  private static LuaScript load(String name) {
    String text = read("common") + read(name);
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return new LuaScript(name, text, HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-1", e);
    }
  }

  private static String read(String name) {
    try (InputStream in = LuaScript.class.getResourceAsStream(name + ".lua")) {
      if (in == null) {
        throw new IllegalStateException(name + ".lua is missing from colloquy-memory-redis");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
