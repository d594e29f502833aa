/**
 * The callable wire protocol at the edge, checked before firebase-functions sees the request. The
 * framework answers a body it cannot decode (any `"@type"` wrapper it does not know, an Int64Value of
 * "NaN") with `internal`, and a wrong content type with an anonymous "Bad Request"; this screen refuses
 * all of them, plus duplicate keys and deep nesting, as `invalid-argument` with a reference id.
 *
 * Bodies that are not JSON at all with an `application/json` content type never reach function code:
 * the platform's body parser answers them with HTTP 400 (see docs/hardening.md).
 */

/** Nesting deeper than this (objects and arrays, counting the body itself) is refused. */
export const MAX_BODY_DEPTH = 32;
/** The largest body a callable accepts (no input of ours comes near it). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What the screen needs of an express request. */
export interface RawCallRequest {
  method?: string;
  headers?: Record<string, string | string[] | undefined>;
  body?: unknown;
  rawBody?: Buffer;
}

function header(request: RawCallRequest, name: string): string {
  const value = request.headers?.[name];
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

/** Why the body is refused, or null when the framework may decode it. */
export function callBodyProblem(request: RawCallRequest): string | null {
  if (request.method !== "POST") return `callables take POST, not ${request.method ?? "no method"}`;
  const contentType = header(request, "content-type").split(";")[0].trim().toLowerCase();
  if (contentType !== "application/json") return `the content type must be application/json, not "${contentType || "none"}"`;
  const raw = Buffer.isBuffer(request.rawBody) ? request.rawBody.toString("utf8") : undefined;
  if (raw !== undefined && raw.length > MAX_BODY_BYTES) return `the body is larger than ${MAX_BODY_BYTES} bytes`;
  if (raw !== undefined && raw.trim() !== "") {
    const structural = jsonStructureProblem(raw);
    if (structural) return structural;
  }
  const body = request.body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) return 'the body must be a JSON object {"data": ...}';
  const keys = Object.keys(body);
  if (!keys.includes("data")) return 'the body has no "data" field';
  const extra = keys.filter((key) => key !== "data");
  if (extra.length) return `the body has fields besides "data": ${extra.slice(0, 5).join(", ")}`;
  return valueProblem((body as { data: unknown }).data, 2);
}

/** Typed-value wrappers and depth on the parsed value (also covers a body without rawBody). */
function valueProblem(value: unknown, depth: number): string | null {
  if (typeof value !== "object" || value === null) return null;
  if (depth > MAX_BODY_DEPTH) return `the body is nested deeper than ${MAX_BODY_DEPTH} levels`;
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = valueProblem(item, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key === "@type") return 'typed values ("@type" wrappers) are not accepted: send plain JSON';
    const problem = valueProblem(item, depth + 1);
    if (problem) return problem;
  }
  return null;
}

/**
 * One pass over the raw JSON text: duplicate keys in an object (JSON.parse silently keeps the last)
 * and nesting depth; a text that is not JSON is refused as well.
 */
export function jsonStructureProblem(text: string): string | null {
  try {
    JSON.parse(text);
  } catch {
    return "the body is not valid JSON (empty, truncated or malformed)";
  }
  const objects: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      const top = objects[objects.length - 1];
      if (top && expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.has(key)) return `the body repeats the key "${key.slice(0, 40)}" in one object`;
        top.add(key);
        expectKey = false;
      }
      i = end;
    } else if (char === "{" || char === "[") {
      objects.push(char === "{" ? new Set() : null);
      if (objects.length > MAX_BODY_DEPTH) return `the body is nested deeper than ${MAX_BODY_DEPTH} levels`;
      expectKey = char === "{";
    } else if (char === "}" || char === "]") {
      objects.pop();
    } else if (char === ",") {
      expectKey = objects[objects.length - 1] instanceof Set;
    }
  }
  return null;
}
