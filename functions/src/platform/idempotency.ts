/**
 * Creations a client may retry (a double click, a retry after a timeout): with the same client
 * request id, the second call answers what the first one created instead of creating again. The
 * first call claims `clientRequests/{caller}/{digest(function, requestId)}` in a transaction, so two
 * concurrent calls cannot both create; the claim then records the created id. A claim expires after
 * REQUEST_ID_TTL_MS (a later reuse of the id creates anew), and each new claim deletes its caller's
 * expired ones, so the node holds at most a day of one caller's creations.
 */
import { createHash } from "node:crypto";
import { db, removeChildrenUpTo } from "./firebase";
import { paths } from "../contract/paths";
import { HttpsError } from "./errors";

export const REQUEST_ID_TTL_MS = 24 * 3600_000;
/** How long a retry waits for the first call, still running, to finish. */
const WAIT_FOR_FIRST_MS = 20_000;

interface RequestClaim {
  fn: string;
  at: number;
  /** The id of what the first call created; absent while it runs. */
  result?: string;
}

/**
 * Runs `create` once per (caller, fn, requestId) within the TTL; a repeat answers `load(id of the
 * first result)`. Without a requestId it simply creates. A failed creation gives its claim back.
 */
export async function createOnce<R>(
  fn: string,
  caller: string,
  id: string | undefined,
  create: () => Promise<R>,
  idOf: (result: R) => string,
  load: (resultId: string) => Promise<R | null>,
  now = Date.now(),
): Promise<R> {
  if (!id) return create();
  const key = createHash("sha256").update(`${fn}\u0000${id}`).digest("base64url").slice(0, 32);
  const ref = db().ref(paths.clientRequest(caller, key));
  const claim = await ref.transaction(
    (current: RequestClaim | null) => (current === null || now - current.at > REQUEST_ID_TTL_MS ? { fn, at: now } : undefined),
    undefined,
    false,
  );
  if (!claim.committed) return answerOfFirst(ref, load);
  await pruneExpired(caller, now);
  let result: R;
  try {
    result = await create();
  } catch (error) {
    await ref.remove().catch(() => undefined);
    throw error;
  }
  await ref.update({ result: idOf(result) });
  return result;
}

async function answerOfFirst<R>(ref: ReturnType<ReturnType<typeof db>["ref"]>, load: (resultId: string) => Promise<R | null>): Promise<R> {
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    const claim = (await ref.get()).val() as RequestClaim | null;
    if (claim?.result) {
      const first = await load(claim.result);
      if (first) return first;
      throw new HttpsError("failed-precondition", "What the first call with this requestId created no longer exists; use a new requestId.");
    }
    if (!claim) throw new HttpsError("aborted", "The first call with this requestId failed; retry with the same requestId.");
    if (Date.now() > deadline) throw new HttpsError("unavailable", "The first call with this requestId is still running; retry shortly.");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function pruneExpired(caller: string, now: number): Promise<void> {
  await removeChildrenUpTo(paths.clientRequests(caller), "at", now - REQUEST_ID_TTL_MS, 50);
}
