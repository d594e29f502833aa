// @ts-check
/**
 * The emulators' log as people read it: without terminal escape codes, and with a warning or an
 * error kept whole (its continuation lines and stack trace stay with it) instead of cut to the one
 * line that matched.
 */
"use strict";

// CSI sequences (colours, cursor moves) and OSC sequences (titles, links).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/**
 * The text without terminal escape codes.
 * @param {unknown} text
 */
function stripAnsi(text) {
  return String(text).replace(ANSI, "");
}

// firebase-tools starts each message with a symbol and two spaces ("i  functions: ...", "⚠  ...",
// "✔  ...", "✘  ..."); function output comes as ">  ...". Other lines continue the message above.
const HEAD = /^(?:[i✔⚠✘!+]|>)\s/u;
const FUNCTION_CONTINUATION = /^>\s{2}\s+\S/;
const NOTEWORTHY = /⚠|✘|\bwarn(?:ing)?\b|\berror\b|\bfailed\b|\bexception\b|unhandled/i;

/**
 * Groups log lines into messages and hands on the noteworthy ones (warnings, errors) whole.
 * `push(line)` for each line as it comes; a message is complete when the next one starts or after
 * `idleMs` without a line; `flush()` at the end.
 */
class LogBlocks {
  /**
   * @param {(block: string[]) => void} emit gets the lines of each message worth showing
   * @param {{ all?: boolean, idleMs?: number }} [options] all: every message, not only warnings/errors
   */
  constructor(emit, { all = false, idleMs = 150 } = {}) {
    this.emit = emit;
    this.all = all;
    this.idleMs = idleMs;
    /** @type {string[]} */
    this.block = [];
    /** @type {NodeJS.Timeout | null} */
    this.timer = null;
  }

  /** @param {string} rawLine */
  push(rawLine) {
    const line = stripAnsi(rawLine).replace(/\s+$/, "");
    if (!line.trim()) return;
    const continues = this.block.length > 0 && (!HEAD.test(line) || (line.startsWith(">") && FUNCTION_CONTINUATION.test(line)));
    if (!continues) this.flush();
    this.block.push(line);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.idleMs);
    this.timer.unref?.();
  }

  flush() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const block = this.block;
    this.block = [];
    if (block.length && (this.all || NOTEWORTHY.test(block[0]))) this.emit(block);
  }
}

/**
 * The message of a thrown value, as a person reads it (anything can be thrown, not only an Error).
 * @param {unknown} error
 */
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

module.exports = { stripAnsi, LogBlocks, messageOf };
