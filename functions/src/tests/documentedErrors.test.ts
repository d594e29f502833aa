/**
 * Every documented error code is true: the error codes of each callable are read from the generated
 * reference (docs/api-reference.md, `- errors:` lines), and each (callable, code) pair is triggered by a
 * row below through the real callable, as a client calls it. A documented code without a row fails, and
 * so does a row for a code the reference does not list (the table and the document cannot drift).
 *
 * The wrapper's codes (invalid-argument, unauthenticated, permission-denied from `allow`) have a row
 * per callable made from its spec; the domain codes have hand-written rows, complete for the areas in
 * COMPLETE_AREAS (the other areas' domain codes are not yet covered here).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { authFor, fft, LOCAL_VONAGE, resetDatabase, useFakeAuth, type FakeAuth } from "../testing/harness";
import { seedAdmin, seedEvent } from "../testing/fixtures";
import { callableExports, type AnySpec } from "../testing/functionsIndex";
import { malformedInputs } from "../testing/malformed";
import { useVonageStandin } from "../testing/vonageStandin";
import { resetRateLimits } from "../platform/rateLimit";
import { db } from "../platform/firebase";

const repoRoot = path.resolve(__dirname, "..", "..", "..");

/** `### \`name\`` headings under `## area`, each with its `- errors:` line. */
function documentedErrors(): Map<string, { area: string; codes: string[] }> {
  const text = fs.readFileSync(path.join(repoRoot, "docs", "api-reference.md"), "utf8");
  const found = new Map<string, { area: string; codes: string[] }>();
  let area = "";
  let name = "";
  for (const line of text.split("\n")) {
    const areaMatch = /^## (\w+)$/.exec(line);
    if (areaMatch) area = areaMatch[1];
    const nameMatch = /^### `(\w+)`$/.exec(line);
    if (nameMatch) name = nameMatch[1];
    const errors = /^- errors: (.*)$/.exec(line);
    if (errors && name) found.set(name, { area, codes: [...errors[1].matchAll(/`([a-z-]+)`/g)].map((m) => m[1]) });
  }
  return found;
}

/** The areas whose every documented code has a row (wrapper rows or hand-written ones). */
const COMPLETE_AREAS = ["admins", "auth"];

const superAdmin = authFor("sup1", { role: "admin", superAdmin: true }, "password");
const admin = authFor("adm1", { role: "admin", superAdmin: false }, "password");
const fan = authFor("fan1", { role: "fan", adminId: "adm1", eventId: "ev1" });

const exported = new Map(callableExports().map((entry) => [entry.name, entry]));
function callAs(name: string, auth: unknown, data: unknown): Promise<unknown> {
  const entry = exported.get(name);
  if (!entry) throw new Error(`${name} is not a callable export`);
  return fft.wrap(entry.fn as never)({ data, auth, rawRequest: { ip: "127.0.0.9", headers: {} } }) as Promise<unknown>;
}

/** A caller the spec accepts, and one it refuses by role (null when it accepts every signed-in user). */
function callers(spec: AnySpec): { allowed: unknown; wrongRole: unknown } {
  if (spec.allow === "anyone" || spec.allow === "signedIn") return { allowed: authFor("anon1", {}, "anonymous"), wrongRole: null };
  const allow = spec.allow as readonly string[];
  const allowed = allow.includes("superAdmin")
    ? superAdmin
    : allow.includes("admin")
      ? admin
      : authFor(`${allow[0]}1`, { role: allow[0], adminId: "adm1", eventId: "ev1" });
  const wrongRole = allow.includes("fan") || allow.includes("host") ? admin : allow.includes("admin") ? fan : admin;
  return { allowed, wrongRole };
}

interface Row {
  fn: string;
  code: string;
  /** What the row does to get the code. */
  how: string;
  run: (world: World) => Promise<unknown>;
}
interface World {
  auth: FakeAuth;
}

const limited = async (name: string, data: unknown, auth: unknown) => {
  const before = process.env.RATE_LIMIT_PER_MINUTE;
  process.env.RATE_LIMIT_PER_MINUTE = "1";
  try {
    await callAs(name, auth, data).catch(() => undefined);
    return await callAs(name, auth, data);
  } finally {
    // The suites after this one see the limit they had.
    if (before === undefined) delete process.env.RATE_LIMIT_PER_MINUTE;
    else process.env.RATE_LIMIT_PER_MINUTE = before;
    resetRateLimits();
  }
};

const PAIR = { otApiKey: "47999001", otSecret: "documented0errors0secret00000000000001" };

/** The stand-in knows the pair, but its REST answers 500: Vonage is down for the credential check. */
async function vonageDownForPair(): Promise<void> {
  const standin = await useVonageStandin();
  standin.addProject(PAIR.otApiKey, PAIR.otSecret);
  standin.injectFault({ pathRegex: `/project/${PAIR.otApiKey}/`, status: 500, count: 10 });
}

const DOMAIN_ROWS: Row[] = [
  {
    fn: "createAdmin",
    code: "already-exists",
    how: "an e-mail in use",
    run: () => callAs("createAdmin", superAdmin, { displayName: "Twin", email: "adm1@example.com", password: "password123" }),
  },
  {
    fn: "createAdmin",
    code: "failed-precondition",
    how: "a retry with the requestId of a call whose admin was deleted since",
    run: async () => {
      const data = { displayName: "Gone", email: "gone@example.com", password: "password123", requestId: "request-gone-1" };
      const { admin: created } = (await callAs("createAdmin", superAdmin, data)) as { admin: { id: string } };
      await callAs("deleteAdmin", superAdmin, { id: created.id });
      return callAs("createAdmin", superAdmin, data);
    },
  },
  {
    fn: "createAdmin",
    code: "unavailable",
    how: "Vonage down during the credential check",
    run: async () => {
      await vonageDownForPair();
      return callAs("createAdmin", superAdmin, { displayName: "Down", email: "down@example.com", password: "password123", ...PAIR });
    },
  },
  { fn: "deleteAdmin", code: "failed-precondition", how: "deleting oneself", run: () => callAs("deleteAdmin", superAdmin, { id: "sup1" }) },
  { fn: "getAdmin", code: "not-found", how: "an unknown admin", run: () => callAs("getAdmin", superAdmin, { id: "nobody" }) },
  {
    fn: "updateAdmin",
    code: "already-exists",
    how: "an e-mail another account has (Auth refuses it)",
    run: async ({ auth }) => {
      const updateUser = auth.updateUser.bind(auth);
      auth.updateUser = async (uid, props) => {
        if (props.email && [...auth.users.values()].some((user) => user.uid !== uid && user.email === String(props.email).toLowerCase()))
          throw Object.assign(new Error("in use"), { code: "auth/email-already-exists" });
        return updateUser(uid, props);
      };
      return callAs("updateAdmin", admin, { id: "adm1", email: "adm2@example.com" });
    },
  },
  {
    fn: "updateAdmin",
    code: "failed-precondition",
    how: "a superAdmin dropping their own flag",
    run: () => callAs("updateAdmin", superAdmin, { id: "sup1", superAdmin: false }),
  },
  {
    fn: "updateAdmin",
    code: "not-found",
    how: "an unknown admin",
    run: () => callAs("updateAdmin", superAdmin, { id: "nobody", hls: true }),
  },
  {
    fn: "updateAdmin",
    code: "unavailable",
    how: "Vonage down during the credential check",
    run: async () => {
      await vonageDownForPair();
      return callAs("updateAdmin", admin, { id: "adm1", ...PAIR });
    },
  },
  {
    fn: "login",
    code: "permission-denied",
    how: "a signed-in account that is no registered admin",
    run: () => callAs("login", authFor("stranger", {}, "password"), {}),
  },
  { fn: "login", code: "resource-exhausted", how: "a second call over a limit of 1 a minute", run: () => limited("login", {}, admin) },
  ...(["loginFan", "loginHost", "loginCelebrity"] as const).flatMap((fn): Row[] => {
    const slugOf = (event: { fanUrl: string; hostUrl: string; celebrityUrl: string }) =>
      fn === "loginFan" ? event.fanUrl : fn === "loginHost" ? event.hostUrl : event.celebrityUrl;
    return [
      {
        fn,
        code: "not-found",
        how: "an unknown link",
        run: () => callAs(fn, undefined, { adminId: "adm1", slug: fn === "loginFan" ? "no-such-show" : "x".repeat(24) }),
      },
      {
        fn,
        code: "failed-precondition",
        how: "a closed show",
        run: async () => callAs(fn, undefined, { adminId: "adm1", slug: slugOf(await seedEvent("adm1", { status: "closed" })) }),
      },
      {
        fn,
        code: "resource-exhausted",
        how: "a second call over a limit of 1 a minute",
        run: async () => limited(fn, { adminId: "adm1", slug: slugOf(await seedEvent("adm1", { status: "preshow" })) }, undefined),
      },
    ];
  }),
];

/** The wrapper's rows, from each callable's spec. */
function wrapperRows(): Row[] {
  const rows: Row[] = [];
  for (const [name, entry] of exported) {
    const spec = entry.spec!;
    const { allowed, wrongRole } = callers(spec);
    rows.push({
      fn: name,
      code: "invalid-argument",
      how: "input outside the schema",
      run: () => callAs(name, allowed, malformedInputs(spec.input)[0]),
    });
    if (spec.allow !== "anyone")
      rows.push({
        fn: name,
        code: "unauthenticated",
        how: "no sign-in",
        run: () => callAs(name, undefined, malformedInputs(spec.input)[0]),
      });
    if (wrongRole)
      rows.push({ fn: name, code: "permission-denied", how: "a caller of another role", run: () => callAs(name, wrongRole, {}) });
  }
  return rows;
}

describe("hardening: every documented error code is true", function () {
  this.timeout(120_000);
  const documented = documentedErrors();
  const rows = [...wrapperRows(), ...DOMAIN_ROWS];

  it("reads every callable's errors from the reference", () => {
    assert.deepEqual([...documented.keys()].sort(), [...exported.keys()].sort(), "the reference lists exactly the callables");
  });

  it("has a row for every documented code of the complete areas, and none for a code not documented", () => {
    const key = (fn: string, code: string) => `${fn}: ${code}`;
    const have = new Set(rows.map((row) => key(row.fn, row.code)));
    const missing = [...documented].flatMap(([fn, { area, codes }]) =>
      COMPLETE_AREAS.includes(area) ? codes.filter((code) => !have.has(key(fn, code))).map((code) => key(fn, code)) : [],
    );
    assert.deepEqual(missing, [], "documented codes no row triggers");
    const undocumented = rows.filter((row) => !documented.get(row.fn)?.codes.includes(row.code)).map((row) => key(row.fn, row.code));
    assert.deepEqual(undocumented, [], "rows for codes the reference does not list");
    assert.ok(
      COMPLETE_AREAS.every((area) => [...documented.values()].some((entry) => entry.area === area)),
      "the complete areas exist",
    );
  });

  for (const row of rows) {
    it(`${row.fn} answers ${row.code}: ${row.how}`, async () => {
      const auth = useFakeAuth();
      resetRateLimits();
      await resetDatabase();
      await useVonageStandin();
      await seedAdmin("sup1", { superAdmin: true });
      await seedAdmin("adm1");
      await seedAdmin("adm2");
      for (const uid of ["sup1", "adm1", "adm2"]) await auth.createUser({ uid, email: `${uid}@example.com`, password: "password123" });
      try {
        await row.run({ auth });
      } catch (error) {
        const { code, message } = error as { code?: string; message?: string };
        assert.equal(code, row.code, `answered ${code}: ${message}`);
        assert.ok(message && message.length >= 10, `a message a client developer can act on: ${message}`);
        assert.doesNotMatch(message, /\n\s+at |PRIVATE KEY/, "no stack or key");
        assert.ok(!message.includes(LOCAL_VONAGE.apiSecret) && !message.includes(PAIR.otSecret), "no secret");
        return;
      } finally {
        (await useVonageStandin()).clearFaults();
      }
      assert.fail(`${row.fn} succeeded; expected ${row.code}`);
    });
  }

  after(async () => {
    await db().ref().set(null);
  });
});
