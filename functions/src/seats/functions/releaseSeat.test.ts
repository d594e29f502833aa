import assert from "node:assert/strict";
import { authFor, expectHttpsError, fft } from "../../testing/harness";
import { freshShow } from "../../testing/fixtures";
import { db } from "../../platform/firebase";
import { paths } from "../../contract/paths";
import type { EventRecord } from "../../events/model";
import { createTokensFan } from "./createTokensFan";
import { releaseSeat } from "./releaseSeat";

describe("tokens/releaseSeat", () => {
  const join = fft.wrap(createTokensFan);
  const release = fft.wrap(releaseSeat);
  let event: EventRecord;
  const fan = (uid: string) => authFor(uid, { role: "fan", adminId: "adm1", eventId: event.id });
  const mode = async (uid: string) => ((await join({ data: {}, auth: fan(uid) } as never)) as unknown as { mode: string }).mode;

  beforeEach(async () => {
    event = await freshShow({ status: "live", interactiveLimit: 1 });
  });

  it("frees the fan's seat (all tabs) for the next fan, and is idempotent", async () => {
    assert.equal(await mode("a"), "interactive");
    assert.equal(await mode("a"), "interactive");
    assert.equal(await mode("b"), "hls");
    assert.deepEqual(await release({ data: {}, auth: fan("a") } as never), { released: true });
    assert.equal(
      (
        await db()
          .ref(paths.seat(event.id, "s0", "a"))
          .get()
      ).exists(),
      false,
    );
    assert.deepEqual(await release({ data: {}, auth: fan("a") } as never), { released: true });
    assert.equal(await mode("b"), "interactive");
  });

  it("is for fans with an event login only", async () => {
    await expectHttpsError(
      release({ data: {}, auth: authFor("h", { role: "host", adminId: "adm1", eventId: event.id }) } as never),
      "permission-denied",
    );
    await expectHttpsError(release({ data: {}, auth: authFor("f", { role: "fan" }) } as never), "permission-denied");
    await expectHttpsError(release({ data: { uid: "b" }, auth: fan("a") } as never), "invalid-argument");
  });
});
