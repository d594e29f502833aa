// @ts-check
/**
 * Command-line flags of `npm start`, `npm run demo` and `npm run cli`: one strict parser, so an unknown
 * or misspelt flag is refused with the list of known ones instead of being ignored. Loaded by
 * tools/bootstrap.cjs before anything is installed or built, so it needs nothing but Node.
 */
"use strict";
const { parseArgs } = require("node:util");

class UsageError extends Error {}

/**
 * @typedef {{ type: "boolean" | "string", short?: string, value?: string, help: string }} FlagSpec
 * @typedef {Record<string, FlagSpec>} FlagSpecs
 */

/** @type {FlagSpecs} */
const START_FLAGS = {
  fresh: { type: "boolean", help: "start empty: drop the kept database and Auth accounts first" },
  import: { type: "string", value: "DIR", help: "start from a snapshot made by `npm run cli -- export DIR` (replaces the kept data)" },
  verbose: { type: "boolean", help: "show the emulators' whole log, not only warnings and errors" },
  help: { type: "boolean", short: "h", help: "this help" },
};

/** @type {FlagSpecs} */
const DEMO_FLAGS = {
  help: { type: "boolean", short: "h", help: "this help" },
};

/**
 * "--fresh, --import DIR, ..." for messages.
 * @param {FlagSpecs} specs
 */
function flagList(specs) {
  return Object.entries(specs)
    .map(([name, spec]) => `--${name}${spec.value ? ` ${spec.value}` : ""}`)
    .join(", ");
}

/**
 * Two-column help lines for the flags.
 * @param {FlagSpecs} specs
 */
function flagHelp(specs) {
  const rows = Object.entries(specs).map(([name, spec]) => [
    `${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.value ? ` ${spec.value}` : ""}`,
    spec.help,
  ]);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join("\n");
}

/**
 * Strict parse. Throws UsageError naming the offending flag and the known ones.
 * @param {FlagSpecs} specs @param {string[]} argv
 * @param {{ positionals?: number, what?: string }} [options] how many positionals are allowed
 * @returns {{ values: Record<string, any>, positionals: string[] }}
 */
function parseFlags(specs, argv, { positionals = 0, what = "this command" } = {}) {
  /** @type {Record<string, { type: "boolean" | "string", short?: string }>} */
  const options = {};
  for (const [name, spec] of Object.entries(specs)) options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}) };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (error) {
    const code = /** @type {{ code?: string }} */ (error).code;
    const message = /** @type {Error} */ (error).message;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const flag = /'([^']+)'/.exec(message)?.[1] ?? message;
      throw new UsageError(`unknown option ${flag} for ${what}; known options: ${flagList(specs)}`);
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      const flag = /'(--?[\w-]+)/.exec(message)?.[1] ?? message;
      throw new UsageError(`option ${flag} needs a value (${what}; known options: ${flagList(specs)})`);
    }
    throw new UsageError(`${message} (${what})`);
  }
  if (parsed.positionals.length > positionals) {
    const extra = parsed.positionals.slice(positionals).join(" ");
    throw new UsageError(`unexpected argument(s) for ${what}: ${extra}; known options: ${flagList(specs)}`);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/**
 * npm start's flags that do not go together; throws UsageError.
 * @template {Record<string, unknown>} T
 * @param {T} values
 */
function checkStartFlags(values) {
  if (values.fresh && values.import)
    throw new UsageError("give --fresh or --import DIR, not both (an import replaces the kept data anyway)");
  return values;
}

module.exports = { UsageError, START_FLAGS, DEMO_FLAGS, parseFlags, checkStartFlags, flagList, flagHelp };
