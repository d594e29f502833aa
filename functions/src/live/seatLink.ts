/**
 * The live show's two uses of the seat code, in one place (the seat design may change under it):
 * whether a participant holds an interactive seat, and freeing it.
 */
import { holdsSeat as seatHeld, releaseSeatOf } from "../seats/gate";

export async function holdsSeat(eventId: string, uid: string): Promise<boolean> {
  return seatHeld(eventId, uid);
}

export async function freeSeat(eventId: string, uid: string): Promise<void> {
  await releaseSeatOf(eventId, uid);
}
