/**
 * `muteAll({eventId, session?, active?})`: the producer mutes everyone on a session but the stage
 * (on `stage`, the default: all but the host, the celebrity, fans on stage and the producer; on
 * `backstage`: all but the producer), streams published later included. `active: false` lifts it for
 * new streams.
 */
import { muteAll as mute } from "../moderation";
import { producerCallable } from "./producerCallable";

export const muteAll = producerCallable("muteAll", ({ eventId, session, active }, caller) => mute(caller, eventId, session, active));
