/**
 * `bringOnStage({eventId, fanId})`: the producer puts a fan of the line on stage: their record gets
 * `isOnStage: true`, so createTokenStageFan then gives them a stage publisher token. Idempotent.
 */
import { moveFan } from "../floor";
import { producerCallable } from "./producerCallable";

export const bringOnStage = producerCallable("bringOnStage", ({ eventId, fanId }, caller) => moveFan(caller, eventId, fanId, "onStage"));
