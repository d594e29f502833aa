// @ts-check
/**
 * The typed client as an installed package: its declarations are built (tools/client-declarations.cjs),
 * the package is installed as `npm install` would lay it out (its `files`, its package.json) in a
 * temporary app outside the repository, next to the repository's `firebase`, and the example of
 * docs/client.md plus checks that must fail to compile are type-checked with the repository's
 * TypeScript under `moduleResolution: bundler` and `nodenext` (ESM and CommonJS). Offline.
 */
"use strict";
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { childEnv } = require("../../local/config.cjs");

const root = path.resolve(__dirname, "..", "..");
const tsc = path.join(root, "functions", "node_modules", "typescript", "bin", "tsc");

/** Lines that compile only while the types are real: each `@ts-expect-error` must meet an error. */
const CHECKS = `
import { api, callable, type CallableErrorCode, type CallableInput, type CallableName, type CallableOutput } from "@interactive-broadcast/client";
import type { Functions } from "firebase/functions";

declare const functions: Functions;
const backend = api(functions);

export async function checks(): Promise<void> {
  // @ts-expect-error loginFan needs adminId
  await backend.loginFan({ slug: "show" });
  // @ts-expect-error unknown input fields are refused
  await backend.loginFan({ adminId: "a", role: "admin" });
  // @ts-expect-error vonageCallbacks is an HTTP function, not a callable
  callable(functions, "vonageCallbacks");
  const join = await backend.createTokensFan({});
  if (join.mode === "interactive") {
    const seatPath: string = join.seatPath;
    void seatPath;
  }
  if (join.mode === "hls") {
    // @ts-expect-error an HLS answer carries no token
    void join.stageToken;
  }
  const status: CallableOutput<"getEvent">["status"] = "live";
  // @ts-expect-error not an event status
  const wrong: CallableOutput<"getEvent">["status"] = "running";
  // @ts-expect-error interactiveLimit is a number
  const input: CallableInput<"createEvent"> = { name: "Show", interactiveLimit: "5" };
  const name: CallableName = "createEvent";
  const code: CallableErrorCode = "functions/not-found";
  const refresh: boolean = (await backend.login()).refreshIdToken;
  void [status, wrong, input, name, code, refresh];
}
`;

const CJS_CHECKS = `
import client = require("@interactive-broadcast/client");
import type { Functions } from "firebase/functions";

declare const functions: Functions;
export async function token(adminId: string, slug: string): Promise<string> {
  // @ts-expect-error slug is a string
  await client.api(functions).loginHost({ adminId, slug: 5 });
  return (await client.callable(functions, "loginHost")({ adminId, slug })).token;
}
`;

/**
 * @param {string[]} args
 * @param {string} cwd
 */
function run(args, cwd) {
  const result = spawnSync(process.execPath, args, { cwd, env: childEnv(), encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("typed client package (client/)", function () {
  this.timeout(180_000);
  /** @type {string} */
  let app;

  before(() => {
    app = fs.mkdtempSync(path.join(os.tmpdir(), "ib-client-app-"));
    const built = run([path.join(root, "tools", "client-declarations.cjs"), "--out", path.join(app, "built")], root);
    assert.equal(built.status, 0, built.output);
    // `npm install` of the packed package: its package.json and its `files`, dist/ from the build.
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "client", "package.json"), "utf8"));
    const installed = path.join(app, "node_modules", "@interactive-broadcast", "client");
    fs.mkdirSync(installed, { recursive: true });
    fs.copyFileSync(path.join(root, "client", "package.json"), path.join(installed, "package.json"));
    for (const entry of manifest.files) {
      const name = entry.replace(/\/$/, "");
      if (name === "dist") fs.cpSync(path.join(app, "built"), path.join(installed, "dist"), { recursive: true });
      else fs.cpSync(path.join(root, "client", name), path.join(installed, name), { recursive: true });
    }
    // The peer dependency, as the app would have it.
    for (const dependency of ["firebase", "@firebase"]) {
      fs.symlinkSync(path.join(root, "node_modules", dependency), path.join(app, "node_modules", dependency), "dir");
    }
    const example = /```ts\n([\s\S]*?)```/.exec(fs.readFileSync(path.join(root, "docs", "client.md"), "utf8"))?.[1];
    assert.ok(example?.includes("signInWithCustomToken"), "docs/client.md has no complete TypeScript example");
    fs.mkdirSync(path.join(app, "src"));
    fs.writeFileSync(path.join(app, "src", "example.ts"), example ?? "");
    fs.writeFileSync(path.join(app, "src", "checks.ts"), CHECKS);
  });

  after(() => {
    if (app) fs.rmSync(app, { recursive: true, force: true });
  });

  it("the emitted declarations need nothing of the server: no import but firebase and their own files", () => {
    const dist = path.join(app, "node_modules", "@interactive-broadcast", "client", "dist");
    for (const file of fs.readdirSync(dist)) {
      // The code, not the comments (which show how an app imports the package).
      const text = fs
        .readFileSync(path.join(dist, file), "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/^\s*\/\/.*$/gm, "");
      const imports = [...text.matchAll(/(?:from|import\()\s*"([^"]+)"/g)].map((match) => match[1]);
      assert.deepEqual(
        imports.filter((target) => target !== "firebase/functions" && !target.startsWith("./")),
        [],
        `${file} imports outside the package`,
      );
      assert.doesNotMatch(text, /functions\/src|"zod"|firebase-functions/, `${file} refers to the server`);
    }
  });

  const settings = {
    bundler: {
      packageType: undefined,
      compilerOptions: { module: "preserve", moduleResolution: "bundler" },
      files: ["src/example.ts", "src/checks.ts"],
    },
    "nodenext (ESM)": {
      packageType: "module",
      compilerOptions: { module: "nodenext", moduleResolution: "nodenext" },
      files: ["src/example.ts", "src/checks.ts"],
    },
    "nodenext (CommonJS)": {
      packageType: "commonjs",
      compilerOptions: { module: "nodenext", moduleResolution: "nodenext" },
      files: ["src/checks.cts"],
    },
  };
  for (const [label, setting] of Object.entries(settings)) {
    it(`the docs example and the checks type-check in a fresh app with moduleResolution ${label}`, () => {
      const pkg = { name: "fresh-app", private: true, ...(setting.packageType ? { type: setting.packageType } : {}) };
      fs.writeFileSync(path.join(app, "package.json"), JSON.stringify(pkg));
      fs.writeFileSync(path.join(app, "src", "checks.cts"), CJS_CHECKS);
      const config = {
        compilerOptions: {
          ...setting.compilerOptions,
          target: "es2022",
          lib: ["es2022", "dom"],
          strict: true,
          noEmit: true,
          types: [],
          // Declaration files are checked too (the package's, and firebase's it imports); not TypeScript's own libs.
          skipLibCheck: false,
          skipDefaultLibCheck: true,
        },
        files: setting.files,
      };
      fs.writeFileSync(path.join(app, "tsconfig.json"), JSON.stringify(config, null, 2));
      const checked = run([tsc, "-p", "tsconfig.json"], app);
      assert.equal(checked.status, 0, `tsc (${label}):\n${checked.output}`);
    });
  }

  it("the installed package loads in Node, from require and from import", () => {
    fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "fresh-app", private: true }));
    const script = [
      'const required = require("@interactive-broadcast/client");',
      'import("@interactive-broadcast/client").then((imported) => {',
      "  const kinds = [typeof required.api, typeof required.callable, typeof imported.api, typeof imported.callable];",
      "  console.log(kinds.join(' '));",
      "});",
    ].join("\n");
    const loaded = run(["-e", script], app);
    assert.equal(loaded.status, 0, loaded.output);
    assert.equal(loaded.output.trim(), "function function function function");
  });
});
