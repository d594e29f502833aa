import assert from "node:assert/strict";
import { authFor, expectHttpsError, fft } from "../../testing/harness";
import { fakeSessionId, seedAdmin, seedEvent, freshShow } from "../../testing/fixtures";
import { vonageClaims } from "../../testing/tokenClaims";
import { db } from "../../platform/firebase";
import { paths } from "../../contract/paths";
import type { EventRecord } from "../../events/model";
import { createTokenProducer } from "./createTokenProducer";

type Answer = Record<string, string | number>;

describe("tokens/createTokenProducer", () => {
  const call = fft.wrap(createTokenProducer);
  const produce = (eventId: string, auth: unknown) => call({ data: { eventId }, auth } as never) as unknown as Promise<Answer>;
  const owner = authFor("adm1", { role: "admin", superAdmin: false }, "password");
  let event: EventRecord;

  beforeEach(async () => {
    event = await freshShow({ status: "preshow" });
  });

  it("gives the owner moderator tokens on both sessions with userType producer", async () => {
    const answer = await produce(event.id, owner);
    assert.equal(answer.apiKey, "47000001");
    const backstage = vonageClaims(answer.backstageToken as string);
    const stage = vonageClaims(answer.stageToken as string);
    assert.equal(backstage.session_id, event.sessionId);
    assert.equal(stage.session_id, event.stageSessionId);
    for (const claims of [backstage, stage]) {
      assert.equal(claims.role, "moderator");
      assert.deepEqual(claims.data, { userType: "producer", participantId: "adm1", eventId: event.id });
      assert.equal(claims.exp * 1000, answer.expiresAt);
    }
    assert.deepEqual(Object.keys(answer).sort(), [
      "apiKey",
      "backstageToken",
      "eventId",
      "expiresAt",
      "sessionId",
      "stageSessionId",
      "stageToken",
      "status",
    ]);
  });

  it("also before preshow, but never for a closed show", async () => {
    const early = await seedEvent("adm1", { status: "notStarted" });
    assert.equal((await produce(early.id, owner)).status, "notStarted");
    await db()
      .ref(`${paths.stageGate(event.id)}/status`)
      .set("closed");
    await expectHttpsError(produce(event.id, owner), "failed-precondition");
  });

  it("IBS flaw 3: refuses another admin; a superAdmin gets tokens signed with the owner's credentials", async () => {
    await seedAdmin("adm2");
    await expectHttpsError(produce(event.id, authFor("adm2", { role: "admin", superAdmin: false }, "password")), "permission-denied");
    const ownKeys = { apiKey: "47000002", apiSecret: "owner0000own0000project0000secret000002" };
    await seedAdmin("adm3", {}, ownKeys);
    const theirs = await seedEvent("adm3", {
      status: "live",
      sessionId: fakeSessionId(ownKeys.apiKey),
      stageSessionId: fakeSessionId(ownKeys.apiKey),
    });
    const answer = await produce(theirs.id, authFor("root", { role: "admin", superAdmin: true }, "password"));
    assert.equal(answer.apiKey, ownKeys.apiKey);
    assert.equal(vonageClaims(answer.stageToken as string, ownKeys.apiSecret).role, "moderator");
  });

  it("IBS flaw 6b: no role but the producer gets moderator: fans, hosts and celebrities are refused", async () => {
    for (const role of ["fan", "host", "celebrity"]) {
      await expectHttpsError(produce(event.id, authFor("u1", { role, adminId: "adm1", eventId: event.id })), "permission-denied");
    }
    await expectHttpsError(produce(event.id, authFor("anon", {}, "anonymous")), "permission-denied");
    await expectHttpsError(call({ data: { eventId: event.id } } as never), "unauthenticated");
  });

  it("answers not-found for an unknown event and invalid-argument for bad input", async () => {
    await expectHttpsError(produce("noSuchEvent", owner), "not-found");
    await expectHttpsError(call({ data: {}, auth: owner } as never), "invalid-argument");
    await expectHttpsError(call({ data: { eventId: event.id, role: "publisher" }, auth: owner } as never), "invalid-argument");
  });
});
