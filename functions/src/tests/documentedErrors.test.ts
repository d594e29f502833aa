/**
 * Every documented error code is true: the error codes of each callable are read from the generated
 * reference (docs/api-reference.md, `- errors:` lines), and each (callable, code) pair is triggered by a
 * row through the real callable, as a client calls it. A documented code without a row fails, and
 * so does a row for a code the reference does not list (the table and the document cannot drift).
 *
 * The wrapper's codes (invalid-argument, unauthenticated, permission-denied from `allow`) have a row
 * per callable made from its spec; the domain codes have hand-written rows, one file an area in
 * testing/documentedErrors/. Every area of the reference has its file, and every code its row.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { LOCAL_VONAGE, resetDatabase, useFakeAuth } from "../testing/harness";
import { seedAdmin } from "../testing/fixtures";
import { malformedInputs } from "../testing/malformed";
import { useVonageStandin } from "../testing/vonageStandin";
import { resetRateLimits } from "../platform/rateLimit";
import { db } from "../platform/firebase";
import { admin, callAs, callers, exported, PAIR, type Row } from "../testing/documentedErrors/support";
import { forgetRevocations, recordRevocation } from "../platform/revocation";
import { rows as adminRows } from "../testing/documentedErrors/admins";
import { rows as authRows } from "../testing/documentedErrors/auth";
import { rows as eventRows } from "../testing/documentedErrors/events";
import { rows as liveRows } from "../testing/documentedErrors/live";
import { rows as analyticsRows } from "../testing/documentedErrors/analytics";
import { rows as broadcastRows } from "../testing/documentedErrors/broadcast";
import { rows as archiveRows } from "../testing/documentedErrors/archive";
import { rows as tokenRows } from "../testing/documentedErrors/tokens";

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

/** The domain rows of each area (testing/documentedErrors/<area>.ts). */
const AREA_ROWS: Record<string, Row[]> = {
  admins: adminRows,
  auth: authRows,
  events: eventRows,
  live: liveRows,
  analytics: analyticsRows,
  broadcast: broadcastRows,
  archive: archiveRows,
  tokens: tokenRows,
};

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
    else
      rows.push({
        fn: name,
        code: "unauthenticated",
        how: "an admin's ID token issued before a revocation (a demotion)",
        run: async () => {
          await recordRevocation("adm1");
          return callAs(name, admin, malformedInputs(spec.input)[0]);
        },
      });
    if (wrongRole)
      rows.push({ fn: name, code: "permission-denied", how: "a caller of another role", run: () => callAs(name, wrongRole, {}) });
  }
  return rows;
}

describe("hardening: every documented error code is true", function () {
  this.timeout(120_000);
  const documented = documentedErrors();
  const rows = [...wrapperRows(), ...Object.values(AREA_ROWS).flat()];

  it("reads every callable's errors from the reference", () => {
    assert.deepEqual([...documented.keys()].sort(), [...exported.keys()].sort(), "the reference lists exactly the callables");
  });

  it("has a row for every documented code, and none for a code not documented", () => {
    const key = (fn: string, code: string) => `${fn}: ${code}`;
    const have = new Set(rows.map((row) => key(row.fn, row.code)));
    const missing = [...documented].flatMap(([fn, { area, codes }]) =>
      area in AREA_ROWS
        ? codes.filter((code) => !have.has(key(fn, code))).map((code) => key(fn, code))
        : [`${fn}: area ${area} has no rows`],
    );
    assert.deepEqual(missing, [], "documented codes no row triggers");
    const undocumented = rows.filter((row) => !documented.get(row.fn)?.codes.includes(row.code)).map((row) => key(row.fn, row.code));
    assert.deepEqual(undocumented, [], "rows for codes the reference does not list");
    assert.ok(
      Object.keys(AREA_ROWS).every((area) => [...documented.values()].some((entry) => entry.area === area)),
      "every area with rows is an area of the reference",
    );
  });

  for (const row of rows) {
    it(`${row.fn} answers ${row.code}: ${row.how}`, async () => {
      const auth = useFakeAuth();
      resetRateLimits();
      forgetRevocations();
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
