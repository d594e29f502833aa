/**
 * What the deployed functions are, read from the code rather than from lists kept by hand: every
 * export of the functions index with its trigger, the callables' specs, the compiled module each
 * export comes from, and which exports reach a given module through their static imports (e.g. the
 * Vonage modules). Tests run on the compiled files (functions/lib), so the import graph is read from
 * their `require("./...")` calls, dynamic `import()`s included (tsc compiles them to require).
 */
import fs from "node:fs";
import path from "node:path";
import type { ZodType } from "zod";
import * as exported from "../index";
import { CALLABLE_SPEC, type Audience, type CallableSpec } from "../platform/callable";

export type AnySpec = CallableSpec<ZodType, unknown, Audience>;

/** The compiled functions folder (functions/lib), whatever file imports this. */
export const LIB_ROOT = path.resolve(__dirname, "..");

interface Endpoint {
  timeoutSeconds?: unknown;
  [key: string]: unknown;
}

export interface ExportedFunction {
  name: string;
  fn: unknown;
  endpoint: Endpoint | undefined;
  /** `callableTrigger`, `httpsTrigger`, `scheduleTrigger`, `taskQueueTrigger`, ... */
  trigger: string | undefined;
  spec: AnySpec | undefined;
}

/** Every export of functions/src/index.ts. */
export function exportedFunctions(): ExportedFunction[] {
  return Object.entries(exported as Record<string, unknown>).map(([name, fn]) => {
    const endpoint = (fn as { __endpoint?: Endpoint } | undefined)?.__endpoint;
    const triggers = Object.keys(endpoint ?? {}).filter((key) => key.endsWith("Trigger"));
    return { name, fn, endpoint, trigger: triggers[0], spec: (fn as Record<symbol, AnySpec> | undefined)?.[CALLABLE_SPEC] };
  });
}

/** The exports the Functions runtime serves as callables (whatever built them). */
export function callableExports(): ExportedFunction[] {
  return exportedFunctions().filter((entry) => entry.trigger === "callableTrigger");
}

/** [name, spec] of every export that carries a callable spec (built by validatedCallable). */
export function callableSpecs(): Array<readonly [string, AnySpec]> {
  return exportedFunctions()
    .filter((entry) => entry.spec !== undefined)
    .map((entry) => [entry.name, entry.spec as AnySpec] as const);
}

/** The compiled file that defines an export (found in the module cache once the export was read). */
export function moduleFileOf(name: string): string {
  const fn = (exported as Record<string, unknown>)[name];
  if (fn === undefined) throw new Error(`${name} is not exported by the functions index`);
  const indexFile = require.resolve("../index");
  for (const [file, mod] of Object.entries(require.cache)) {
    if (!mod || file === indexFile || !file.startsWith(LIB_ROOT + path.sep)) continue;
    if ((mod.exports as Record<string, unknown> | undefined)?.[name] === fn) return file;
  }
  throw new Error(`no compiled module under ${LIB_ROOT} exports ${name}`);
}

const REQUIRE = /require\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;

/** The project files a compiled file requires (relative requires only), resolved. */
export function directImports(file: string): string[] {
  const source = fs.readFileSync(file, "utf8");
  return [...source.matchAll(REQUIRE)].map((match) => require.resolve(path.resolve(path.dirname(file), match[1])));
}

/** Every project file reachable from `file` through its requires, `file` included. */
export function importClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const next of directImports(file)) importClosure(next, seen);
  return seen;
}

/** The exports whose module reaches any of `targets` (paths under functions/lib, e.g. `platform/vonage/operations.js`). */
export function exportsReaching(targets: readonly string[]): string[] {
  const wanted = targets.map((target) => path.join(LIB_ROOT, target));
  for (const target of wanted) if (!fs.existsSync(target)) throw new Error(`${target} does not exist: is the list of modules out of date?`);
  return exportedFunctions()
    .map((entry) => entry.name)
    .filter((name) => {
      const closure = importClosure(moduleFileOf(name));
      return wanted.some((target) => closure.has(target));
    });
}

/** The Vonage client modules: everything that talks to the Vonage Video API goes through them. */
export const VONAGE_MODULES = ["platform/vonage/client.js", "platform/vonage/operations.js"] as const;

/** Every deployed function that can call the Vonage Video API. */
export function vonageCallers(): string[] {
  return exportsReaching(VONAGE_MODULES);
}
