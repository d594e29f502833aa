/**
 * Writes or checks database.rules.json from rules/database.rules.ts.
 *   node rules/generate.ts --write   writes the file
 *   node rules/generate.ts --check   exit 1 when the committed file differs (the test does the same)
 * Runs on Node 22 (type stripping): the bootstrap's Node.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { databaseRules } from "./database.rules.ts";

export const RULES_FILE = fileURLToPath(new URL("../database.rules.json", import.meta.url));

const HEADER =
  "// Generated from rules/database.rules.ts by `node rules/generate.ts --write`: edit that file, not this one.\n" +
  "// The Realtime Database rules (they replace IBS's role middleware); the tests check the two agree.\n";

export function generatedRules(): string {
  return HEADER + JSON.stringify(databaseRules, null, 2) + "\n";
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const generated = generatedRules();
  if (process.argv.includes("--write")) {
    writeFileSync(RULES_FILE, generated);
    console.log("database.rules.json written");
  } else {
    const same = readFileSync(RULES_FILE, "utf8") === generated;
    console.log(
      same
        ? "database.rules.json is up to date"
        : "database.rules.json differs from rules/database.rules.ts: run node rules/generate.ts --write",
    );
    process.exit(same ? 0 : 1);
  }
}
