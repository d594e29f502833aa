/**
 * Hostile callable bodies at the HTTP level (what the framework decodes before our schemas), and a
 * minimal express request/response pair to send them to an exported callable without a server.
 */

export interface WireRequest {
  label: string;
  method: string;
  headers: Record<string, string>;
  /** The raw bytes, as the platform's body parser saves them. */
  rawBody: Buffer;
  /** What the platform's body parser would have made of them. */
  body: unknown;
}

const INT64 = "type.googleapis.com/google.protobuf.Int64Value";
const UINT64 = "type.googleapis.com/google.protobuf.UInt64Value";

function jsonRequest(label: string, text: string, contentType = "application/json"): WireRequest {
  let body: unknown;
  try {
    body = contentType.startsWith("application/json") ? JSON.parse(text) : text;
  } catch {
    body = {};
  }
  return { label, method: "POST", headers: { "content-type": contentType }, rawBody: Buffer.from(text), body };
}

/** Every shape, built around a valid payload `sample` of the callable (so only the wire is wrong). */
export function hostileWireRequests(sample: Record<string, unknown>): WireRequest[] {
  const firstKey = Object.keys(sample)[0] ?? "adminId";
  const valid = JSON.stringify({ data: sample });
  const withValue = (value: string) => JSON.stringify({ data: { ...sample, [firstKey]: "__V__" } }).replace('"__V__"', value);
  const deepObject = `${'{"a":'.repeat(40)}1${"}".repeat(40)}`;
  const deepArray = `${"[".repeat(40)}1${"]".repeat(40)}`;
  return [
    jsonRequest("@type wrapper in a field", withValue('{"@type":"x"}')),
    jsonRequest("Int64Value NaN as data", `{"data":{"@type":"${INT64}","value":"NaN"}}`),
    jsonRequest("Int64Value Infinity in a field", withValue(`{"@type":"${INT64}","value":"Infinity"}`)),
    jsonRequest("UInt64Value -Infinity in a field", withValue(`{"@type":"${UINT64}","value":"-Infinity"}`)),
    jsonRequest("valid Int64Value in a field", withValue(`{"@type":"${INT64}","value":"12"}`)),
    jsonRequest("@type in a nested array", withValue('[{"@type":"x"}]')),
    jsonRequest("@type beside the data", `{"data":{"@type":"x","value":1}}`),
    jsonRequest("deeply nested object", withValue(deepObject)),
    jsonRequest("deeply nested array", withValue(deepArray)),
    jsonRequest(
      "duplicate key in data",
      Object.keys(sample).length
        ? valid.replace(/^\{"data":\{/, `{"data":{${JSON.stringify(firstKey)}:"first",`)
        : '{"data":{"a":1,"a":2}}',
    ),
    jsonRequest("duplicate data field", `{"data":{},"data":${JSON.stringify(sample)}}`),
    jsonRequest("escaped duplicate key", `{"data":{"a":1,"\\u0061":2}}`),
    jsonRequest("no data field", "{}"),
    jsonRequest("extra top-level field", valid.replace(/}$/, ',"extra":1}')),
    jsonRequest("body is an array", `[${valid}]`),
    jsonRequest("empty body", ""),
    jsonRequest("truncated body", valid.slice(0, Math.max(2, valid.length - 3))),
    jsonRequest("NaN literal", withValue("NaN")),
    jsonRequest("text/plain content type", valid, "text/plain"),
    jsonRequest("form content type", `data=${encodeURIComponent(JSON.stringify(sample))}`, "application/x-www-form-urlencoded"),
    jsonRequest("no content type", valid, ""),
    { ...jsonRequest("GET method", valid), method: "GET" },
  ];
}

export interface WireAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Sends one request to an exported callable (the framework's express handler) and collects the answer. */
export async function sendToCallable(fn: unknown, request: WireRequest, extraHeaders: Record<string, string> = {}): Promise<WireAnswer> {
  const headers = Object.fromEntries(Object.entries({ ...request.headers, ...extraHeaders }).map(([k, v]) => [k.toLowerCase(), v]));
  const answer: WireAnswer = { status: 200, headers: {}, body: undefined };
  await new Promise<void>((resolve) => {
    const listeners: Record<string, Array<() => void>> = {};
    const res = {
      statusCode: 200,
      headersSent: false,
      status(code: number) {
        answer.status = code;
        res.statusCode = code;
        return res;
      },
      setHeader(name: string, value: string) {
        answer.headers[name.toLowerCase()] = String(value);
      },
      getHeader: (name: string) => answer.headers[name.toLowerCase()],
      on(event: string, listener: () => void) {
        (listeners[event] ??= []).push(listener);
        return res;
      },
      send(body: unknown) {
        answer.body = body;
        res.end();
      },
      write: () => true,
      end() {
        res.headersSent = true;
        for (const listener of listeners.finish ?? []) listener();
        resolve();
      },
    };
    const req = {
      method: request.method,
      headers,
      body: request.body,
      rawBody: request.rawBody,
      url: "/",
      header: (name: string) => headers[name.toLowerCase()],
      get: (name: string) => headers[name.toLowerCase()],
      on: () => req,
    };
    Promise.resolve((fn as (req: unknown, res: unknown) => unknown)(req, res)).catch(() => resolve());
  });
  return answer;
}
