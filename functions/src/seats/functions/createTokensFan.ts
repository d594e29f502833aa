/**
 * `createTokensFan` ({fanId?}; fan): the seat decision (docs/access.md#the-seat-decision-createtokensfan) for the event in the fan's login,
 * then tokens for a seated fan. Answers which mode and why:
 * - `interactive`: publisher on backstage, SUBSCRIBER on stage, and the `seatPath` the client must
 *   register `onDisconnect().remove()` on;
 * - `hls`: every seat is taken (or the show has none): the HLS URL, or null while it is not ready;
 * - `full`: no seat and the admin has HLS off.
 * A show that is not open yet or has closed is `failed-precondition`.
 */
import { validatedCallable } from "../../platform/callable";
import { VONAGE_CREDENTIAL_SECRETS } from "../../platform/config";
import { fanJoin } from "../fanJoin";
import type { CallableOutput } from "../../contract/callables";
import { seatInputs } from "../../contract/callables/seats";

export const createTokensFan = validatedCallable({
  name: "createTokensFan",
  input: seatInputs.createTokensFan,
  allow: ["fan"],
  rateLimited: true,
  secrets: VONAGE_CREDENTIAL_SECRETS,
  handler: (input, caller): Promise<CallableOutput<"createTokensFan">> => fanJoin(caller, input.fanId),
});
