/**
 * `bringBackstage({eventId, fanId})`: the producer moves a fan of the line backstage (screening on the
 * backstage session); the fan's entry shows `state: "backstage"` and their record `isBackstage: true`.
 * Idempotent (`changed: false` on a repeat). A fan on stage comes back backstage.
 */
import { moveFan } from "../floor";
import { producerCallable } from "./producerCallable";

export const bringBackstage = producerCallable("bringBackstage", ({ eventId, fanId }, caller) =>
  moveFan(caller, eventId, fanId, "backstage"),
);
