/**
 * The live show's two uses of the seat code, in one place (the seat design may change under it):
 * whether a participant holds an interactive seat, and freeing it.
 */
export { holdsSeat, releaseSeatOf as freeSeat } from "../seats/gate";
