/**
 * The contract (contract/, docs/contract.md) is what the functions serve: the callables exported by
 * the index are exactly the contract's, each with the contract's input schema and declared output
 * (checked by the compiler below: a handler answering another type, or a callable missing from the
 * contract, stops the build), and the contract depends on nothing but zod.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { callableInputs, type CallableInput, type CallableName, type CallableOutput } from "../contract/callables";
import { paths } from "../contract/paths";
import { adminRecord, eventKeyRecord, eventRecord, liveRecordRecord } from "../contract/records";
import { callableSpecs, directImports, LIB_ROOT } from "../testing/functionsIndex";
import { eventIn, lifecycleWorld, stored } from "../testing/lifecycleFixtures";

type Backend = typeof import("../index");
/** Structural match of firebase-functions' CallableFunction (HTTP, task and scheduled exports lack `stream`). */
type CallableShape<I, O> = { run(request: { data: I }): Promise<O>; stream(...args: never[]): unknown };
type BackendCallable = { [K in keyof Backend]: Backend[K] extends CallableShape<infer _I, infer _O> ? K : never }[keyof Backend];
type ServedInput<N extends BackendCallable> = Backend[N] extends CallableShape<infer I, infer _O> ? I : never;
type ServedOutput<N extends BackendCallable> = Backend[N] extends CallableShape<infer _I, infer O> ? O : never;
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
type Every<T extends Record<string, boolean>> = T[keyof T] extends true ? true : false;

/** Compile-time: fails to build when the served callables and the contract part ways. */
export type ContractChecks = [
  Assert<Equal<BackendCallable, CallableName>>,
  Assert<Every<{ [N in CallableName]: Equal<ServedOutput<N>, CallableOutput<N>> }>>,
  Assert<Every<{ [N in CallableName]: Equal<ServedInput<N>, CallableInput<N>> }>>,
];

const CONTRACT_SOURCE = path.resolve(LIB_ROOT, "..", "src", "contract");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith(".ts") ? [file] : [];
  });
}

const jsonSchemaOf = (schema: z.ZodType) => JSON.stringify(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }));

describe("contract", () => {
  it("the callables served are exactly the contract's, each with the contract's input schema", () => {
    const specs = callableSpecs();
    assert.deepEqual(specs.map(([name]) => name).sort(), Object.keys(callableInputs).sort());
    for (const [name, spec] of specs) {
      const declared = callableInputs[name as CallableName];
      // The admin and event inputs are built by the functions with their deeper checks (the same schema otherwise).
      assert.equal(jsonSchemaOf(spec.input), jsonSchemaOf(declared), `${name}: the served input schema is not the contract's`);
    }
  });

  it("the contract imports nothing but zod and its own files (source and compiled)", () => {
    const outside: string[] = [];
    for (const file of sourceFiles(CONTRACT_SOURCE)) {
      const text = fs.readFileSync(file, "utf8");
      for (const match of text.matchAll(/(?:from|import\()\s*"([^"]+)"/g)) {
        const target = match[1];
        if (target === "zod") continue;
        const resolved = path.resolve(path.dirname(file), target);
        if (!target.startsWith(".") || !resolved.startsWith(CONTRACT_SOURCE)) outside.push(`${path.basename(file)} -> ${target}`);
      }
    }
    assert.deepEqual(outside, []);
    const compiled = path.join(LIB_ROOT, "contract");
    const compiledOutside = sourceFiles(CONTRACT_SOURCE)
      .map((file) => path.join(compiled, path.relative(CONTRACT_SOURCE, file).replace(/\.ts$/, ".js")))
      .flatMap((file) => directImports(file).filter((target) => !target.startsWith(compiled + path.sep)));
    assert.deepEqual(compiledOutside, []);
  });

  it("an input the contract refuses is refused by the served callable too (the two are one schema)", () => {
    const specs = new Map(callableSpecs());
    // A sample per area: an unknown field, a wrong type, a bad enum value.
    const refused: Array<[CallableName, unknown]> = [
      ["loginFan", { adminId: "a", role: "admin" }],
      ["createEvent", { name: "Show", interactiveLimit: "5" }],
      ["changeStatus", { id: "e1", status: "running" }],
      ["createAdmin", { displayName: "A", email: "a@example.com", password: "long enough", otApiKey: "k" }],
      ["muteAll", { eventId: "e1", session: "everywhere" }],
      ["createTokenByUserType", { adminId: "a", userType: "producer" }],
    ];
    for (const [name, input] of refused) {
      assert.equal(callableInputs[name].safeParse(input).success, false, `${name}: the contract accepts ${JSON.stringify(input)}`);
      assert.equal(specs.get(name)!.input.safeParse(input).success, false, `${name}: the function accepts ${JSON.stringify(input)}`);
    }
  });

  it("what a live show stores matches the record schemas, no field left out (strict parse)", async function () {
    this.timeout(60_000);
    await lifecycleWorld();
    const event = await eventIn("live", { archiveEvent: true });
    const strictly = (schema: z.ZodObject, value: unknown, what: string) => {
      const parsed = schema.strict().safeParse(value);
      assert.ok(parsed.success, `${what}: ${parsed.success ? "" : JSON.stringify(parsed.error.issues)}`);
    };
    strictly(eventRecord, await stored(paths.event(event.id)), "events/{id}");
    strictly(adminRecord, await stored(paths.admin("adm1")), "admins/{uid}");
    strictly(eventKeyRecord, await stored(paths.eventKey("adm1", "fan", event.fanUrl)), "eventKeys/.../fan/{slug}");
    strictly(liveRecordRecord, await stored(paths.liveRecord("adm1", event.fanUrl)), "activeBroadcasts/{adminId}/{fanUrl}");
  });
});
