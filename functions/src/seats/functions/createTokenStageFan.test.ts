import assert from "node:assert/strict";
import { authFor, expectHttpsError, fft } from "../../testing/harness";
import { seedEvent, freshShow } from "../../testing/fixtures";
import { vonageClaims } from "../../testing/tokenClaims";
import { db } from "../../platform/firebase";
import { paths } from "../../contract/paths";
import type { EventRecord } from "../../events/model";
import { createTokenStageFan } from "./createTokenStageFan";

type Answer = Record<string, string | number>;

describe("tokens/createTokenStageFan", () => {
  const call = fft.wrap(createTokenStageFan);
  let event: EventRecord;
  const stageFan = (uid: string, fanId: string, claims: Record<string, unknown> = {}) =>
    call({
      data: { fanId },
      auth: authFor(uid, { role: "fan", adminId: "adm1", eventId: event.id, ...claims }),
    } as never) as unknown as Promise<Answer>;
  const fanRecord = (fanId: string) => `${paths.liveRecord("adm1", event.fanUrl)}/activeFans/${fanId}`;

  beforeEach(async () => {
    event = await freshShow({ status: "live" });
    await db()
      .ref(paths.liveRecord("adm1", event.fanUrl))
      .set({
        eventId: event.id,
        activeFans: { "fanA-tab1": { id: "fanA-tab1", isOnStage: false }, fanB: { id: "fanB", isOnStage: true } },
      });
  });

  it("IBS flaw 6: a fan the producer has not moved on stage gets no stage publisher token", async () => {
    const refused = await expectHttpsError(stageFan("fanA", "fanA-tab1"), "permission-denied");
    assert.match(refused.message, /producer/);
    await expectHttpsError(stageFan("fanC", "fanC"), "permission-denied");
  });

  it("once the owner admin set isOnStage, that fan gets a publisher token on stage, userType fan", async () => {
    await db()
      .ref(`${fanRecord("fanA-tab1")}/isOnStage`)
      .set(true);
    const answer = await stageFan("fanA", "fanA-tab1");
    const claims = vonageClaims(answer.stageToken as string);
    assert.equal(claims.session_id, event.stageSessionId);
    assert.equal(claims.role, "publisher");
    assert.deepEqual(claims.data, { userType: "fan", participantId: "fanA", eventId: event.id });
    assert.deepEqual(Object.keys(answer).sort(), ["apiKey", "eventId", "expiresAt", "stageSessionId", "stageToken", "status"]);
  });

  it("only for the caller's own presence key: another fan's on-stage record gives nothing", async () => {
    await expectHttpsError(stageFan("fanA", "fanB"), "permission-denied");
    await expectHttpsError(stageFan("fan", "fanB"), "permission-denied");
    assert.equal(vonageClaims((await stageFan("fanB", "fanB")).stageToken as string).role, "publisher");
  });

  it("not with another event's login, nor when the record at the slug belongs to another event", async () => {
    const other = await seedEvent("adm1", { status: "live" });
    await expectHttpsError(stageFan("fanB", "fanB", { eventId: other.id }), "permission-denied");
    await expectHttpsError(stageFan("fanB", "fanB", { adminId: "adm2" }), "permission-denied");
    await db()
      .ref(`${paths.liveRecord("adm1", event.fanUrl)}/eventId`)
      .set(other.id);
    await expectHttpsError(stageFan("fanB", "fanB"), "permission-denied");
  });

  it("not after the show closed, nor before it opened", async () => {
    await db()
      .ref(`${paths.stageGate(event.id)}/status`)
      .set("closed");
    await expectHttpsError(stageFan("fanB", "fanB"), "failed-precondition");
    await db()
      .ref(`${paths.stageGate(event.id)}/status`)
      .set("notStarted");
    await expectHttpsError(stageFan("fanB", "fanB"), "failed-precondition");
  });

  it("refuses other roles and crafted input", async () => {
    await expectHttpsError(
      call({ data: { fanId: "fanB" }, auth: authFor("fanB", { role: "host", adminId: "adm1", eventId: event.id }) } as never),
      "permission-denied",
    );
    await expectHttpsError(
      call({ data: {}, auth: authFor("fanB", { role: "fan", adminId: "adm1", eventId: event.id }) } as never),
      "invalid-argument",
    );
    await expectHttpsError(
      call({
        data: { fanId: "fanB", role: "moderator" },
        auth: authFor("fanB", { role: "fan", adminId: "adm1", eventId: event.id }),
      } as never),
      "invalid-argument",
    );
  });
});
