/**
 * Malformed inputs for a zod schema: wrong root types, each property with wrong types, out-of-range
 * and oversized values, hostile strings, missing required keys, unknown and prototype keys, huge
 * arrays, and random values from fast-check. Every generated payload is passed through JSON (as the
 * callable protocol does) and kept only if the schema really rejects it.
 */
import fc from "fast-check";
import { z, type ZodType } from "zod";

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  pattern?: string;
};

const HOSTILE_STRINGS = [
  "",
  " ",
  "x".repeat(10_000),
  "y".repeat(100_001),
  "../../admins",
  "a/b",
  "a.b",
  "$root",
  "#x",
  "[0]",
  "\u0000",
  "\u202etxt.exe",
  "\u200b\u200b",
  "😀".repeat(50),
  "Ω≈ç√∫",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "__proto__",
  "constructor",
];
const WRONG_VALUES: unknown[] = [null, true, false, 0, -1, 1.5, 1e308, -1e308, "1", "true", [], [1, 2], {}, { a: 1 }];

function branches(schema: JsonSchema): JsonSchema[] {
  return schema.anyOf ?? schema.oneOf ?? [schema];
}

function wrongFor(schema: JsonSchema): unknown[] {
  const values: unknown[] = [...WRONG_VALUES, ...HOSTILE_STRINGS];
  for (const branch of branches(schema)) {
    if (branch.type === "integer" || branch.type === "number") {
      if (branch.minimum !== undefined) values.push(branch.minimum - 1);
      if (branch.maximum !== undefined) values.push(branch.maximum + 1);
      values.push(Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 0.000001);
    }
    if (branch.type === "string" && branch.maxLength !== undefined) values.push("z".repeat(branch.maxLength + 1));
    if (branch.type === "array") values.push(new Array(10_000).fill("x"), new Array((branch.maxItems ?? 100) + 1).fill({}));
    if (branch.type === "object" && branch.properties) {
      values.push({ __proto__: { polluted: true } }, JSON.parse('{"__proto__": {"polluted": true}}'), { constructor: { prototype: {} } });
    }
  }
  return values;
}

/** A payload through the wire format, or undefined when JSON cannot carry it. */
function overTheWire(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

export function malformedInputs(schema: ZodType, { minimum = 200, seed = 42 } = {}): unknown[] {
  const json = z.toJSONSchema(schema, { unrepresentable: "any" }) as JsonSchema;
  const candidates: unknown[] = [undefined, null, 0, "", "string", true, [], [{}], 42.5];
  const root = branches(json).find((branch) => branch.type === "object") ?? json;
  const properties = root.properties ?? {};
  const required = root.required ?? [];
  for (const [key, propertySchema] of Object.entries(properties)) {
    for (const wrong of wrongFor(propertySchema)) candidates.push({ [key]: wrong });
  }
  for (const key of required) {
    const others = Object.fromEntries(required.filter((other) => other !== key).map((other) => [other, "x"]));
    candidates.push(others);
  }
  for (const extra of [
    "__proto__",
    "constructor",
    "prototype",
    "unknownKey",
    "isAdmin",
    "role",
    "superAdmin",
    "$where",
    "a".repeat(1000),
  ]) {
    candidates.push(JSON.parse(`{${JSON.stringify(extra)}: {"polluted": true}}`));
    candidates.push({ ...Object.fromEntries(required.map((key) => [key, "x"])), [extra]: true });
  }
  // One wrong value at a time in an otherwise valid payload, so each field's own check is exercised.
  const sample = validSample(schema);
  if (sample) {
    for (const [key, propertySchema] of Object.entries(properties)) {
      for (const wrong of wrongFor(propertySchema)) candidates.push({ ...sample, [key]: wrong });
    }
    candidates.push({ ...sample, ключ: 1, "😀": true, "\u202e": "x" });
  }
  candidates.push({ ключ: "значение" }, { "😀": "😀" }, { "": "" });
  // Random shapes: keys of the schema with arbitrary JSON values, and arbitrary objects.
  const keys = Object.keys(properties);
  const randomPayload = fc.oneof(
    fc.dictionary(keys.length ? fc.constantFrom(...keys) : fc.string(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
    fc.jsonValue({ maxDepth: 4 }),
    fc.object({ maxDepth: 3 }),
    fc.dictionary(fc.string({ unit: "grapheme", maxLength: 8 }), fc.string({ unit: "grapheme", maxLength: 40 }), { maxKeys: 4 }),
  );
  candidates.push(...fc.sample(randomPayload, { numRuns: minimum * 3, seed }));

  const malformed: unknown[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    const payload = overTheWire(candidate);
    const key = JSON.stringify(payload) ?? "undefined";
    if (seen.has(key)) continue;
    seen.add(key);
    if (!schema.safeParse(payload ?? {}).success) malformed.push(payload);
  }
  return malformed;
}

const SAMPLE_VALUES: unknown[] = [
  "abc",
  "adm1",
  "Show name",
  "a@example.com",
  "https://example.com/x.png",
  "2026-01-10T18:00:00.000Z",
  "a-good-password",
  "47000001",
  "0".repeat(40),
  1,
  10,
  0,
  true,
  false,
  [],
  {},
];

/**
 * A payload the schema accepts, built key by key from sample values (and the key's own enum/const
 * values), or undefined when none is found (unusual formats). Only for object roots. When the payload
 * with every key is refused (a cross-field rule, e.g. two options that exclude each other), the
 * required keys are kept and the optional ones added one by one, each only if the payload still passes.
 */
export function validSample(schema: ZodType): Record<string, unknown> | undefined {
  const shape = (schema as unknown as { shape?: Record<string, ZodType> }).shape;
  if (!shape) return undefined;
  const json = z.toJSONSchema(schema, { unrepresentable: "any" }) as JsonSchema;
  const sample: Record<string, unknown> = {};
  const optional = new Set<string>();
  for (const [key, field] of Object.entries(shape)) {
    const own = json.properties?.[key];
    const candidates = [
      ...branches(own ?? {}).flatMap((branch) => [...(branch.enum ?? []), ...(branch.const !== undefined ? [branch.const] : [])]),
      ...SAMPLE_VALUES,
    ];
    const value = candidates.find((candidate) => field.safeParse(candidate).success);
    const isOptional = field.safeParse(undefined).success;
    if (isOptional) optional.add(key);
    if (value === undefined) {
      if (isOptional) continue; // optional: leave it out
      return undefined;
    }
    sample[key] = value;
  }
  if (schema.safeParse(sample).success) return sample;
  const greedy = Object.fromEntries(Object.entries(sample).filter(([key]) => !optional.has(key)));
  if (!schema.safeParse(greedy).success) return undefined;
  for (const [key, value] of Object.entries(sample)) {
    if (!optional.has(key)) continue;
    if (schema.safeParse({ ...greedy, [key]: value }).success) greedy[key] = value;
  }
  return greedy;
}

/**
 * Valid payloads for a schema: one per option of a union (each accepted by the whole schema), or the
 * one of validSample for an object root; empty when none is found.
 */
export function validSamples(schema: ZodType): Array<Record<string, unknown>> {
  const options = (schema as unknown as { options?: ZodType[] }).options;
  // A union's options are schemas (a z.enum's `options` are its values: not a union).
  if (Array.isArray(options) && options.every((option) => typeof (option as { safeParse?: unknown })?.safeParse === "function")) {
    return options.flatMap((option) => validSamples(option)).filter((sample) => schema.safeParse(sample).success);
  }
  const sample = validSample(schema);
  return sample ? [sample] : [];
}
