// @ts-check
/**
 * Runs a command as the leader of its own process group and makes sure nothing of it outlives the
 * process that started it:
 *
 *   node local/supervise.cjs [--grace MS] [--log FILE] [--remove PATH]... [--harness] -- COMMAND ARGS...
 *
 * Started with a pipe as stdin by its parent (the local stack starts the Firebase emulators this way).
 * When that pipe closes (the parent stopped, crashed or was killed with SIGKILL) or the supervisor gets
 * SIGINT/SIGTERM, the command gets SIGINT (the emulators then export their data and stop their
 * workers), and whatever is left of the group after `--grace` ms (default 15000) is killed. When the
 * command exits by itself, the rest of its group (function workers) is killed at once.
 *
 * The command's output is passed on line by line (a parent that went away is no error) and, with
 * `--log`, appended to FILE without terminal escape codes. Each `--remove` PATH (the command's
 * temporary files) is deleted once the command has ended, however it ended.
 *
 * `--harness` (tests that play a terminal's Ctrl-C by signalling the whole group): signals are left to
 * the command, which gets them from the group, and the group is only killed when the parent is gone.
 */
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const readline = require("node:readline");
const { stripAnsi } = require("./logs.cjs");

/**
 * @param {string[]} argv
 * @returns {{ grace: number, log: string | null, harness: boolean, remove: string[], command: string[] }}
 */
function parse(argv) {
  /** @type {{ grace: number, log: string | null, harness: boolean, remove: string[] }} */
  const options = { grace: 15_000, log: null, harness: false, remove: [] };
  let index = 0;
  for (; index < argv.length && argv[index] !== "--"; index += 1) {
    const flag = argv[index];
    if (flag === "--grace") options.grace = Number(argv[++index]);
    else if (flag === "--log") options.log = argv[++index];
    else if (flag === "--harness") options.harness = true;
    else if (flag === "--remove") options.remove.push(argv[++index]);
    else throw new Error(`supervise: unknown option ${flag}; known options: --grace MS, --log FILE, --remove PATH, --harness`);
  }
  const command = argv.slice(index + 1);
  if (!command.length) throw new Error("supervise: give the command after --");
  return { ...options, command };
}

function main() {
  const options = parse(process.argv.slice(2));
  // A parent that went away must not crash us while we stop the command.
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});
  if (options.log) fs.writeFileSync(options.log, "");

  const child = spawn(options.command[0], options.command.slice(1), { stdio: ["ignore", "pipe", "pipe"], env: process.env });
  /** @param {import("node:stream").Readable} source @param {NodeJS.WriteStream} target */
  const pass = (source, target) => {
    readline.createInterface({ input: source, crlfDelay: Infinity }).on("line", (line) => {
      if (target.writable) target.write(`${line}\n`);
      if (options.log) {
        try {
          fs.appendFileSync(options.log, `${stripAnsi(line)}\n`);
        } catch {
          /* the log is a convenience */
        }
      }
    });
  };
  pass(child.stdout, process.stdout);
  pass(child.stderr, process.stderr);

  const killGroup = () => {
    for (const target of options.remove) {
      try {
        fs.rmSync(target, { recursive: true, force: true });
      } catch {
        /* best effort */
      }
    }
    try {
      process.kill(-process.pid, "SIGKILL"); // the workers, and this process last
    } catch {
      process.exit(1);
    }
  };
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
    setTimeout(killGroup, options.grace).unref();
  };

  child.once("exit", (code, signal) => {
    if (options.harness && !stopping) process.exit(code ?? (signal ? 128 + 2 : 0));
    // Give the output a moment to drain, then take the rest of the group down with us.
    setTimeout(killGroup, 100);
  });
  child.once("error", (error) => {
    process.stderr.write(`supervise: cannot start ${options.command[0]}: ${error.message}\n`);
    killGroup();
  });

  process.stdin.on("end", stop);
  process.stdin.on("close", stop);
  process.stdin.on("error", stop);
  process.stdin.resume();
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => {
      if (!options.harness) stop();
    });
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`${/** @type {Error} */ (error).message}\n`);
  process.exit(2);
}
