/**
 * The layout's rules (functions/src/README.md), checked on the compiled import graph: function files
 * stay thin (no database handle of their own), domain modules never import a function file, and no
 * deployed function reaches the test helpers, which the deploy leaves out.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { directImports, exportedFunctions, importClosure, LIB_ROOT, moduleFileOf } from "../testing/functionsIndex";

const relative = (file: string) => path.relative(LIB_ROOT, file).split(path.sep).join("/");

function compiledFiles(dir = LIB_ROOT): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return compiledFiles(file);
    return entry.name.endsWith(".js") ? [file] : [];
  });
}

const isTestCode = (file: string) => /^(testing|tests)\//.test(relative(file)) || file.endsWith(".test.js");
const isFunctionFile = (file: string) => /^[^/]+\/functions\//.test(relative(file));
const serverFiles = () => compiledFiles().filter((file) => !isTestCode(file) && relative(file) !== "index.js");

describe("layout", () => {
  it("no domain or platform module imports a function file", () => {
    const wrong = serverFiles()
      .filter((file) => !isFunctionFile(file))
      .flatMap((file) =>
        directImports(file)
          .filter(isFunctionFile)
          .map((target) => `${relative(file)} -> ${relative(target)}`),
      );
    assert.deepEqual(wrong, []);
  });

  it("function files do not open the database themselves (the domain modules do)", () => {
    const firebase = path.join(LIB_ROOT, "platform", "firebase.js");
    const wrong = serverFiles()
      .filter(isFunctionFile)
      .filter((file) => directImports(file).includes(firebase))
      .map(relative);
    assert.deepEqual(wrong, []);
  });

  it("no deployed function reaches the test helpers, and the deploy leaves them out", () => {
    const reaching = exportedFunctions().flatMap(({ name }) =>
      [...importClosure(moduleFileOf(name))].filter(isTestCode).map((file) => `${name} -> ${relative(file)}`),
    );
    assert.deepEqual(reaching, []);
    const config = JSON.parse(fs.readFileSync(path.resolve(LIB_ROOT, "..", "..", "firebase.json"), "utf8")) as {
      functions: Array<{ ignore: string[] }>;
    };
    for (const pattern of ["src", "lib/testing/**", "lib/tests/**", "**/*.test.js"]) {
      assert.ok(config.functions[0].ignore.includes(pattern), `firebase.json functions.ignore has ${pattern}`);
    }
  });
});
