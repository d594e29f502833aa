/**
 * The fan page, /show/<adminId>/<slug>: the show's state before joining (not open yet, open, ended),
 * then the seat decision (interactive, HLS with its reason, or full), until the show ends.
 */
import { useEffect, useState } from "preact/hooks";
import { onDisconnect, ref, remove } from "firebase/database";
import { signInWithCustomToken } from "firebase/auth";
import type { CallableOutput } from "@interactive-broadcast/client";
import { backend as backendOf } from "../../lib/firebase";
import { errorCode, errorText } from "../../lib/errors";
import { useLive, usePolling } from "../../lib/live";
import { mediaSimulated } from "../../media";
import { Form, TextField } from "../../ui/fields";
import { OutcomeLine, useOutcome } from "../../ui/outcome";
import { SimulatedMediaNote } from "../../ui/Tiles";
import { liveRecordPath } from "../console/liveRecord";
import { newFanId } from "./device";
import { FanHls } from "./FanHls";
import { FanSeated } from "./FanSeated";
import { ShowImage, type PublicEvent } from "./ShowImage";

type JoinAnswer = CallableOutput<"createTokensFan">;
type Joined = { fanId: string; name: string; answer: JoinAnswer };

function Ended({ event }: { event: PublicEvent }) {
  return (
    <section class="panel" aria-labelledby="ended-heading">
      <h2 id="ended-heading" data-testid="show-state">
        This show has ended
      </h2>
      <ShowImage image={event.endImage} alt={`End image of ${event.name}`} />
      <p>Thanks for watching.</p>
      {event.redirectUrl ? (
        <p>
          <a href={event.redirectUrl}>Continue</a>
        </p>
      ) : null}
    </section>
  );
}

function Removed() {
  return (
    <section class="panel" aria-labelledby="removed-heading">
      <h2 id="removed-heading" data-testid="show-state" data-state="removed">
        You were removed from this show
      </h2>
      <p>The producer removed you: you can no longer watch or take part in this show.</p>
    </section>
  );
}

function JoinForm({ event, onJoin }: { event: PublicEvent; onJoin: (name: string) => Promise<void> }) {
  const [name, setName] = useState(() => sessionStorage.getItem("ibs:fan-name") ?? "");
  const { outcome, run, busy } = useOutcome();
  return (
    <section class="panel" aria-labelledby="join-heading">
      <h2 id="join-heading" data-testid="show-state">
        {event.status === "live" ? "The show is live" : "The show is open: the preshow is on"}
      </h2>
      <ShowImage image={event.startImage} alt={`Start image of ${event.name}`} />
      <Form
        label="Join the show"
        onSubmit={() =>
          void run("Joining…", async () => {
            sessionStorage.setItem("ibs:fan-name", name.trim());
            await onJoin(name.trim());
          })
        }
      >
        <TextField
          label="Your name (the producer sees it if you get in line)"
          value={name}
          onValue={setName}
          required
          maxLength={60}
          autocomplete="nickname"
        />
        <button type="submit" disabled={busy}>
          Join the show
        </button>
        <OutcomeLine outcome={outcome} testId="join-outcome" />
      </Form>
    </section>
  );
}

export function FanPage({ adminId, slug }: { adminId: string; slug: string }) {
  const fan = backendOf("fan");
  const [event, setEvent] = useState<PublicEvent | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const [joined, setJoined] = useState<Joined | null>(null);
  const [removed, setRemoved] = useState(false);
  const recordPath = liveRecordPath(adminId, slug);
  // Before joining, the public event tells whether the show is open; it is asked again until it is.
  usePolling(
    !joined && event?.status !== "closed",
    4000,
    async () => {
      try {
        setEvent(await fan.api.getEventByKey({ adminId, slug }));
      } catch (error) {
        setMissing(errorCode(error) === "not-found" ? "There is no show at this address." : errorText(error));
      }
    },
    [adminId, slug],
  );
  // Once joined, the live record's status says when the show ends (the rules let this fan read it).
  const status = useLive<string>(joined ? fan.db : null, joined ? `${recordPath}/status` : null);
  const ended = event?.status === "closed" || (joined !== null && status.loaded && (status.value === "closed" || status.value === null));
  useEffect(() => {
    if (event) document.title = `${event.name} · Live show`;
  }, [event]);
  useEffect(() => {
    if (ended && joined) void leave(joined);
  }, [ended]);
  async function leave(current: Joined) {
    if (current.answer.mode === "interactive") {
      await remove(ref(fan.db, current.answer.seatPath)).catch(() => undefined);
    }
  }
  /** A removed fan's token calls answer permission-denied (docs/live-show.md). */
  async function tokensFan(fanId: string): Promise<JoinAnswer> {
    try {
      return await fan.api.createTokensFan({ fanId });
    } catch (error) {
      if (errorCode(error) === "permission-denied") setRemoved(true);
      throw error;
    }
  }
  async function join(name: string) {
    const login = await fan.api.loginFan({ adminId, slug });
    await signInWithCustomToken(fan.auth, login.token);
    const fanId = newFanId(login.uid);
    const answer = await tokensFan(fanId);
    if (answer.mode === "interactive") {
      await onDisconnect(ref(fan.db, answer.seatPath)).remove();
    }
    setJoined({ fanId, name, answer });
  }
  /** createTokensFan again (a seat freed, or was offered): true when it gave the interactive seat. */
  async function askAgain(): Promise<boolean> {
    if (!joined) return false;
    const answer = await tokensFan(joined.fanId);
    if (answer.mode === "interactive") {
      await onDisconnect(ref(fan.db, answer.seatPath)).remove();
    }
    setJoined({ ...joined, answer });
    return answer.mode === "interactive";
  }
  if (missing && !event) {
    return (
      <main class="narrow" id="main">
        <h1>Show not found</h1>
        <p role="alert">{missing}</p>
      </main>
    );
  }
  if (!event) return <p class="muted">Loading the show…</p>;
  let body;
  if (ended) body = <Ended event={event} />;
  else if (removed) body = <Removed />;
  else if (!joined && event.status === "notStarted") {
    body = (
      <section class="panel" aria-labelledby="wait-heading">
        <h2 id="wait-heading" data-testid="show-state">
          Not open yet
        </h2>
        <ShowImage image={event.startImage} alt={`Start image of ${event.name}`} />
        <p>The show has not opened yet. Keep this page open: it lets you join as soon as the preshow starts.</p>
      </section>
    );
  } else if (!joined) body = <JoinForm event={event} onJoin={join} />;
  else if (joined.answer.mode === "interactive") {
    body = (
      <FanSeated
        backend={fan}
        join={joined.answer}
        fanId={joined.fanId}
        name={joined.name}
        recordPath={recordPath}
        onRemoved={() => {
          setRemoved(true);
          setJoined(null);
        }}
        onLeave={() => {
          void leave(joined).then(() => fan.api.releaseSeat());
          setJoined(null);
        }}
      />
    );
  } else body = <FanHls backend={fan} answer={joined.answer} recordPath={recordPath} fanId={joined.fanId} onAskAgain={askAgain} />;
  return (
    <main id="main" class="show">
      <h1>{event.name}</h1>
      {mediaSimulated() && joined && !ended && !removed ? <SimulatedMediaNote /> : null}
      {body}
    </main>
  );
}
