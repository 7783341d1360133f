/**
 * Colloquy's Spring Boot auto-configuration: {@link dev.colloquy.spring.ColloquyProperties} ({@code
 * colloquy.*}), the backends, memory, tools, the decorator chain ({@link
 * dev.colloquy.spring.ChatModelDecorator}), agents from definition files ({@link
 * dev.colloquy.spring.ColloquyBindingsCustomizer}), Micrometer meters and health. See
 * docs/spring.md.
 */
package dev.colloquy.spring;
