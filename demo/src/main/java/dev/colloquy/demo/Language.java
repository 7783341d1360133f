package dev.colloquy.demo;

/** The languages the demo shop speaks. */
public enum Language {
  /** English. */
  EN,
  /** Chinese (simplified). */
  ZH
}
