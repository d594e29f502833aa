import assert from "node:assert/strict";
import { authFor, expectHttpsError, fft } from "../../testing/harness";
import { freshShow } from "../../testing/fixtures";
import { vonageClaims } from "../../testing/tokenClaims";
import { db } from "../../platform/firebase";
import { paths } from "../../contract/paths";
import type { EventRecord } from "../../events/model";
import { createTokenHostCeleb } from "./createTokenHostCeleb";

type Answer = Record<string, string | number>;

describe("tokens/createTokenHostCeleb", () => {
  const call = fft.wrap(createTokenHostCeleb);
  let event: EventRecord;
  const as = (role: string, claims: Record<string, unknown> = {}) =>
    call({
      data: {},
      auth: authFor(`${role}1`, { role, adminId: "adm1", eventId: event.id, ...claims }),
    } as never) as unknown as Promise<Answer>;

  beforeEach(async () => {
    event = await freshShow({ status: "preshow" });
  });

  for (const role of ["host", "celebrity"]) {
    it(`a ${role} gets a publisher token on stage only, userType ${role} from the login`, async () => {
      const answer = await as(role);
      const claims = vonageClaims(answer.stageToken as string);
      assert.equal(claims.session_id, event.stageSessionId);
      assert.equal(claims.role, "publisher");
      assert.deepEqual(claims.data, { userType: role, participantId: `${role}1`, eventId: event.id });
      assert.deepEqual(Object.keys(answer).sort(), [
        "apiKey",
        "eventId",
        "expiresAt",
        "stageSessionId",
        "stageToken",
        "status",
        "userType",
      ]);
      assert.equal(answer.userType, role);
    });
  }

  it("IBS flaw 5: a login for another admin's event or an unknown event gets nothing", async () => {
    await expectHttpsError(as("host", { adminId: "adm2" }), "permission-denied");
    await expectHttpsError(as("host", { eventId: "otherEvent" }), "not-found");
    await expectHttpsError(as("host", { eventId: undefined }), "permission-denied");
  });

  it("refuses fans, admins, input and closed shows", async () => {
    await expectHttpsError(as("fan"), "permission-denied");
    await expectHttpsError(as("admin"), "permission-denied");
    await expectHttpsError(
      call({ data: { userType: "producer" }, auth: authFor("h", { role: "host", adminId: "adm1", eventId: event.id }) } as never),
      "invalid-argument",
    );
    await db()
      .ref(`${paths.stageGate(event.id)}/status`)
      .set("closed");
    await expectHttpsError(as("celebrity"), "failed-precondition");
  });
});
