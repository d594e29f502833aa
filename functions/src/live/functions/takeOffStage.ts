/**
 * `takeOffStage({eventId, fanId})`: the producer takes a fan off stage, back to backstage:
 * `isOnStage` goes false and createTokenStageFan refuses them from then on. Idempotent.
 */
import { moveFan } from "../floor";
import { producerCallable } from "./producerCallable";

export const takeOffStage = producerCallable("takeOffStage", ({ eventId, fanId }, caller) =>
  moveFan(caller, eventId, fanId, "backstage", { action: "takeOffStage", what: "take a fan off stage" }),
);
