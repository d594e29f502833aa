/**
 * Host and celebrity pages, from their links (/show-host/<adminId>/<secret>, /show-celebrity/...):
 * log in with the link secret, get a stage publisher token, join the stage.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { onDisconnect, ref, set } from "firebase/database";
import { signInWithCustomToken } from "firebase/auth";
import type { CallableOutput } from "@interactive-broadcast/client";
import { backend as backendOf } from "../../lib/firebase";
import { errorText } from "../../lib/errors";
import { useLive, usePolling } from "../../lib/live";
import { useTokenRefresh } from "../../lib/useTokenRefresh";
import { mediaSimulated, openMedia, type MediaSession } from "../../media";
import { OutcomeLine, useOutcome } from "../../ui/outcome";
import { SimulatedMediaNote, Tiles } from "../../ui/Tiles";
import { liveRecordPath } from "../console/liveRecord";
import { ShowImage } from "./ShowImage";

type Login = CallableOutput<"loginHost">;
type StageTokens = Pick<CallableOutput<"createTokenHostCeleb">, "apiKey" | "stageSessionId" | "stageToken" | "expiresAt">;
type Role = "host" | "celebrity";

const TITLE: Record<Role, string> = { host: "Host", celebrity: "Celebrity" };

export function StagePage({ role, adminId, secret }: { role: Role; adminId: string; secret: string }) {
  const guest = backendOf("stage");
  const [login, setLogin] = useState<Login | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [media, setMedia] = useState<MediaSession | null>(null);
  const self = useRef<HTMLDivElement>(null);
  // The stage tokens, refreshed before they expire: joining the stage again uses them (no reload).
  const tokens = useRef<StageTokens | null>(null);
  const [tokensExpireAt, setTokensExpireAt] = useState<number | null>(null);
  const { outcome, run, busy } = useOutcome();
  useEffect(() => {
    void (async () => {
      try {
        const answer =
          role === "host"
            ? await guest.api.loginHost({ adminId, slug: secret })
            : await guest.api.loginCelebrity({ adminId, slug: secret });
        await signInWithCustomToken(guest.auth, answer.token);
        setLogin(answer);
        setStatus(answer.event.status);
      } catch (error) {
        setFailure(errorText(error));
      }
    })();
  }, [guest, role, adminId, secret]);
  const recordPath = login ? liveRecordPath(adminId, login.event.fanUrl) : null;
  const recordOpen = status === "preshow" || status === "live";
  const liveStatus = useLive<string>(guest.db, recordOpen && recordPath ? `${recordPath}/status` : null);
  // Before the preshow there is no live record to listen to: the public status is asked again.
  usePolling(
    Boolean(login) && !recordOpen && status !== "closed",
    4000,
    async () => {
      if (!login) return;
      const data = await guest.api.getBroadcastData({ eventId: login.event.eventId }).catch(() => null);
      if (data) setStatus(data.status);
    },
    [login],
  );
  const current = recordOpen && liveStatus.loaded ? (liveStatus.value ?? "closed") : status;
  useEffect(() => {
    if (current === "closed" && media) {
      void media.disconnect();
      setMedia(null);
    }
  }, [current, media]);
  const activePath = recordPath ? `${recordPath}/${role}Active` : null;
  // On stage while the live record exists: the producer sees it (and the disconnect clears it).
  useEffect(() => {
    if (!media || !recordOpen || !activePath) return;
    const active = ref(guest.db, activePath);
    void onDisconnect(active)
      .set(false)
      .then(() => set(active, true))
      .catch(() => undefined);
  }, [guest, media, recordOpen, activePath]);
  useTokenRefresh(
    current === "closed" ? null : tokensExpireAt,
    async () => {
      const fresh = await guest.api.refreshTokens({});
      tokens.current = fresh;
      return fresh.expiresAt;
    },
    // Refused (the show closed, or removed): the next join asks createTokenHostCeleb, which says why.
    () => {
      tokens.current = null;
      setTokensExpireAt(null);
    },
  );
  async function joinStage() {
    let stage = tokens.current;
    // A token about to expire is not worth connecting with: a fresh one.
    if (!stage || stage.expiresAt - Date.now() < 60_000) {
      stage = await guest.api.createTokenHostCeleb();
      tokens.current = stage;
      setTokensExpireAt(stage.expiresAt);
    }
    const session = openMedia({ apiKey: stage.apiKey, sessionId: stage.stageSessionId, token: stage.stageToken });
    await session.connect();
    await session.publish(TITLE[role], self.current);
    setMedia(session);
    return "You're on stage.";
  }
  async function leaveStage() {
    await media?.disconnect();
    setMedia(null);
    if (activePath && recordOpen) await set(ref(guest.db, activePath), false);
    return "You left the stage.";
  }
  if (failure) {
    return (
      <main class="narrow" id="main">
        <h1>{TITLE[role]} page</h1>
        <p role="alert">This link does not open a show: {failure}</p>
      </main>
    );
  }
  if (!login) return <p class="muted">Opening the show…</p>;
  return (
    <main id="main" class="show">
      <h1>
        {login.event.name}: {TITLE[role]}
      </h1>
      {mediaSimulated() ? <SimulatedMediaNote /> : null}
      <p data-testid="show-state" class="lead">
        {current === "closed"
          ? "This show has ended."
          : current === "live"
            ? "The show is live."
            : current === "preshow"
              ? "Preshow: fans are arriving."
              : "The show is not open yet; you can join the stage to get ready."}
      </p>
      {current === "closed" ? <ShowImage image={login.event.endImage} alt={`End image of ${login.event.name}`} /> : null}
      {current !== "closed" ? (
        <div class="row">
          {!media ? (
            <button type="button" disabled={busy} onClick={() => void run("Joining the stage…", joinStage)}>
              Join the stage
            </button>
          ) : (
            <button type="button" class="secondary" disabled={busy} onClick={() => void run("Leaving…", leaveStage)}>
              Leave the stage
            </button>
          )}
        </div>
      ) : null}
      <OutcomeLine outcome={outcome} testId="stage-outcome" />
      <div ref={self} class="self-view" aria-hidden="true" />
      {media ? <Tiles media={media} label="Stage" empty="Connecting…" /> : null}
    </main>
  );
}
