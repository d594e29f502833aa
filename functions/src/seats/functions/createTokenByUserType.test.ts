import assert from "node:assert/strict";
import { authFor, expectHttpsError, fft } from "../../testing/harness";
import { seedEvent, freshShow } from "../../testing/fixtures";
import { vonageClaims } from "../../testing/tokenClaims";
import { db } from "../../platform/firebase";
import { paths } from "../../contract/paths";
import { eventKeyRecord, type EventRecord } from "../../events/model";
import { createTokenByUserType } from "./createTokenByUserType";

type Answer = Record<string, string | number>;

describe("tokens/createTokenByUserType", () => {
  const call = fft.wrap(createTokenByUserType);
  let event: EventRecord;
  const embed = (role: string, data: Record<string, unknown>, claims: Record<string, unknown> = {}) =>
    call({
      data,
      auth: authFor(`${role}1`, { role, adminId: "adm1", eventId: event.id, ...claims }),
    } as never) as unknown as Promise<Answer>;

  beforeEach(async () => {
    event = await freshShow({ status: "live", interactiveLimit: 1 });
    await db().ref(paths.currentEvent("adm1")).set(eventKeyRecord(event));
  });

  it("a fan of the admin's current show goes through the seat decision", async () => {
    const first = await embed("fan", { adminId: "adm1", userType: "fan" });
    assert.equal(first.mode, "interactive");
    assert.equal(vonageClaims(first.stageToken as string).role, "subscriber");
    const second = await embed("fan", { adminId: "adm1", userType: "fan" }, {});
    assert.equal(second.keptSeat, true);
    const other = (await call({
      data: { adminId: "adm1", userType: "fan" },
      auth: authFor("fan2", { role: "fan", adminId: "adm1", eventId: event.id }),
    } as never)) as unknown as Answer;
    assert.equal(other.mode, "hls");
  });

  it("host and celebrity get their stage publisher token", async () => {
    for (const role of ["host", "celebrity"]) {
      const answer = await embed(role, { adminId: "adm1", userType: role });
      const claims = vonageClaims(answer.stageToken as string);
      assert.equal(claims.role, "publisher");
      assert.equal(claims.data.userType, role);
    }
  });

  it("IBS flaw 6b: userType must be the login's role and is never producer", async () => {
    await expectHttpsError(embed("fan", { adminId: "adm1", userType: "producer" }), "invalid-argument");
    await expectHttpsError(embed("host", { adminId: "adm1", userType: "producer" }), "invalid-argument");
    await expectHttpsError(embed("fan", { adminId: "adm1", userType: "host" }), "permission-denied");
    await expectHttpsError(embed("celebrity", { adminId: "adm1", userType: "host" }), "permission-denied");
    await expectHttpsError(embed("admin", { adminId: "adm1", userType: "host" }), "permission-denied");
  });

  it("IBS flaw 5: the login must be for this admin's current show", async () => {
    await expectHttpsError(embed("host", { adminId: "adm2", userType: "host" }), "permission-denied");
    await expectHttpsError(embed("host", { adminId: "adm1", userType: "host" }, { adminId: "adm2" }), "permission-denied");
    const older = await seedEvent("adm1", { status: "preshow" });
    await expectHttpsError(embed("fan", { adminId: "adm1", userType: "fan" }, { eventId: older.id }), "permission-denied");
    await db().ref(paths.currentEvent("adm1")).remove();
    await expectHttpsError(embed("fan", { adminId: "adm1", userType: "fan" }), "not-found");
  });
});
