/**
 * `startPrivateCall({eventId, with, fanId?})`: the producer talks privately with the host, the
 * celebrity, or one fan of the line (`with: "fan"` and their `fanId`); any other private call ends.
 * Writes the live record's `privateCall` (`isWith`: host, celebrity, fan on stage, backstageFan,
 * activeFan in line) and the fan's `inPrivateCall`. Idempotent.
 */
import { invalidArgument } from "../../platform/errors";
import { startPrivateCall as start } from "../floor";
import { producerCallable } from "./producerCallable";

export const startPrivateCall = producerCallable("startPrivateCall", async (input, caller) => {
  if ((input.with === "fan") !== (input.fanId !== undefined)) {
    throw invalidArgument("Give fanId exactly when the call is with a fan (with: 'fan').");
  }
  return start(caller, input.eventId, input.with, input.fanId);
});
