// @ts-check
/**
 * `npm run demo`: a scripted show through the real web SDK against the local stack, printed as a
 * transcript with timings, then the attendance table and the run of show. Uses the stack `npm start`
 * runs (found through the stack.json it writes, whatever its ports), otherwise starts its own (ports
 * shifted by DEMO_PORT_BASE, default 50) and stops it at the end or on Ctrl-C.
 * Every step checks its result and has a deadline; the first one that did not do what it says ends the
 * demo with exit 1 and says which part of the stack stopped answering, if one did.
 *
 * The callables go through the typed client (client/), which `npm run demo` type-checks first
 * (this file is `// @ts-check`ed by client/tsconfig.json).
 */
"use strict";
const { ref, set, onDisconnect, get } = require("firebase/database");
const { setLogLevel } = require("firebase/app");
const { newClient } = require("./client.cjs");
const { inParallel, waitFor, withTimeout, TimeoutError } = require("./async.cjs");
const { messageOf } = require("./logs.cjs");
const { api } = require("../client/index.cjs");
const { DEMO_SUPER_ADMIN, localApplication } = require("./config.cjs");
const { discoverStack, diagnoseStack } = require("./running.cjs");
const { DEMO_FLAGS, parseFlags, flagHelp, UsageError } = require("./options.cjs");

/** @typedef {import("../client/index.d.cts").Api} Api */
/** @typedef {ReturnType<typeof newClient> & { api: Api }} DemoClient */
/** @typedef {import("./config.cjs").Ports} Ports */
/** @typedef {{ sessions: Array<{ id: string, connections: Array<{ connectionId: string }> }>, archives: Array<{ id: string, sessionId: string, status: string }>, broadcasts: Array<{ id: string, sessionId: string, status: string, broadcastUrls?: { hls?: string } }> }} StandinState */

const INTERACTIVE_LIMIT = 5;
const FAN_COUNT = 12;
const FAN_NAMES = ["Ava", "Ben", "Chloe", "Dev", "Elif", "Finn", "Grace", "Hugo", "Iris", "Jonas", "Kai", "Lena"];
const CAST = { producer: "Dana (producer)", host: "Maya (host)", celebrity: "Leo Star (celebrity)" };
/** A step's deadline: the emulator starts a worker per concurrent call, which takes seconds on 2 cores. */
const STEP_TIMEOUT_MS = 120_000;

class StepFailed extends Error {}

/**
 * Throws StepFailed (the demo's exit-1 path) unless `condition` holds.
 * @param {unknown} condition
 * @param {string} message
 */
function expect(condition, message) {
  if (!condition) throw new StepFailed(message);
}

/**
 * The Vonage stand-in's control API over HTTP (works for a stack in this process or `npm start`'s).
 * @param {Ports} ports
 */
function standin(ports) {
  const base = `http://127.0.0.1:${ports.vonage}/_control`;
  /** @param {string} method @param {string} path @param {unknown} [body] */
  async function request(method, path, body) {
    let response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new StepFailed(
        `the Vonage stand-in (127.0.0.1:${ports.vonage}) does not answer ${method} ${path}: ${/** @type {Error} */ (error).message}`,
      );
    }
    const text = await response.text();
    if (!response.ok) throw new StepFailed(`Vonage stand-in ${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
  return {
    /** @returns {Promise<StandinState>} */
    state: () => request("GET", "/state"),
    /** @returns {Promise<{ connectionId: string }>} */
    connect: (/** @type {string} */ sessionId, /** @type {string} */ token) =>
      request("POST", `/sessions/${encodeURIComponent(sessionId)}/connections`, { token }),
    /** @returns {Promise<{ id: string }>} */
    publish: (/** @type {string} */ connectionId, /** @type {string} */ name) =>
      request("POST", `/connections/${encodeURIComponent(connectionId)}/streams`, { name, videoType: "camera" }),
    disconnect: (/** @type {string} */ connectionId) =>
      request("DELETE", `/connections/${encodeURIComponent(connectionId)}?reason=clientDisconnected`),
    callbacksIdle: () => request("POST", "/callbacks/idle"),
  };
}

const pad = (/** @type {unknown} */ text, /** @type {number} */ width) => String(text).padEnd(width);
const minutes = (/** @type {number} */ ms) => (ms / 60000).toFixed(2);
const seconds = (/** @type {number} */ ms) => `${(ms / 1000).toFixed(1)} s`;
const clock = (/** @type {number} */ ms) => {
  const total = Math.max(0, Math.round(ms / 1000));
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
};
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The show. `log` gets one line per step as it happens; resolves with a summary, rejects at the
 * first step that did not do what it says.
 * @param {{ ports: Ports, log?: (line: string) => void, superAdmin?: { email: string, password: string }, parallel?: number, stepTimeoutMs?: number, signal?: AbortSignal }} options
 */
async function runDemo({ ports, log = console.log, superAdmin = DEMO_SUPER_ADMIN, parallel = 4, stepTimeoutMs = STEP_TIMEOUT_MS, signal }) {
  const started = Date.now();
  const vonage = standin(ports);
  /** @type {DemoClient[]} */
  const clients = [];
  const client = () => {
    const created = newClient(ports);
    const typed = Object.assign(created, { api: api(created.functions) });
    clients.push(typed);
    return typed;
  };
  /** @type {Array<{ at: number, what: string }>} */
  const timeline = [];
  const happened = (/** @type {string} */ what) => timeline.push({ at: Date.now(), what });
  /** participantId (Firebase uid) -> the name the show knows them by. */
  /** @type {Map<string, string>} */
  const names = new Map();

  let stepNumber = 0;
  /** @template T @param {string} title @param {() => Promise<T>} body @param {{ timeoutMs?: number }} [options] @returns {Promise<T>} */
  async function step(title, body, { timeoutMs = stepTimeoutMs } = {}) {
    const number = ++stepNumber;
    const stepStarted = Date.now();
    if (signal?.aborted) throw new StepFailed(`interrupted before step ${number} "${title}"`);
    log(`[${((stepStarted - started) / 1000).toFixed(1).padStart(5)} s] ${String(number).padStart(2)}. ${title} ...`);
    try {
      const result = await withTimeout(body(), timeoutMs, `step ${number}`);
      log(`         ok (${Date.now() - stepStarted} ms)`);
      return result;
    } catch (error) {
      const message = messageOf(error);
      const code = /** @type {{ code?: string }} */ (error).code;
      // A call that never got an answer (the SDK says "internal" or times out): which part stopped?
      const lost =
        error instanceof TimeoutError ||
        ["functions/internal", "functions/unavailable", "functions/deadline-exceeded"].includes(String(code));
      const down = lost ? await diagnoseStack(ports, ["database", "auth", "functions", "vonage"]) : null;
      const why = down ?? (error instanceof TimeoutError ? "every part of the stack answers: the step is stuck or very slow" : null);
      throw new StepFailed(`step ${number} "${title}" failed: ${code ? `${code}: ` : ""}${message}${why ? ` (${why})` : ""}`);
    }
  }
  const detail = (/** @type {string} */ line) => log(`         ${line}`);
  // Refusals the SDK logs as warnings are not part of the show.
  setLogLevel("error");

  try {
    const boss = client();
    await step(`superAdmin ${superAdmin.email} signs in and creates an admin with a Vonage application (stand-in)`, async () => {
      await boss.signInWithPassword(superAdmin.email, superAdmin.password);
      const claims = (await boss.auth.currentUser?.getIdTokenResult())?.claims;
      expect(claims?.superAdmin === true, "the seeded superAdmin has no superAdmin claim");
    });
    const email = `producer-${Date.now().toString(36)}@demo.local`;
    const password = `demo-${Math.random().toString(36).slice(2)}-pw`;
    // The credential a new Vonage customer has: an application id and its private key (made for this
    // checkout on the first start, kept in .local-stack/, known to the stand-in only).
    const application = localApplication();
    const { admin } = await step(
      `createAdmin "${CAST.producer}" (application id + private key, checked against the stand-in, the key sealed server-side)`,
      async () => {
        const created = await boss.api.createAdmin({
          displayName: "Dana",
          email,
          password,
          hls: true,
          vonageApplicationId: application.applicationId,
          vonagePrivateKey: application.privateKey,
        });
        expect(created.admin.email === email && created.admin.hls === true, `createAdmin answered ${JSON.stringify(created)}`);
        expect(created.admin.credentialKind === "application", `the admin's credential kind is ${created.admin.credentialKind}`);
        const keyBody = application.privateKey.split("\n")[1];
        expect(!JSON.stringify(created).includes(keyBody), "createAdmin returned the private key");
        detail(`admin Dana <${email}> (uid ${created.admin.id}), own Vonage application ${created.admin.vonageApplicationId}`);
        return created;
      },
    );
    names.set(admin.id, CAST.producer);

    const producer = client();
    await step("Dana signs in (email/password) and calls login", async () => {
      await producer.signInWithPassword(email, password);
      const answer = await producer.api.login();
      expect(answer.admin.id === admin.id, `login answered ${JSON.stringify(answer)}`);
      if (answer.refreshIdToken) await producer.refreshClaims();
      const claims = (await producer.auth.currentUser?.getIdTokenResult())?.claims;
      expect(claims?.role === "admin", `the admin's token has role ${JSON.stringify(claims?.role)}`);
    });

    const event = await step(`createEvent "Demo Night" with interactiveLimit ${INTERACTIVE_LIMIT}, archived`, async () => {
      const created = await producer.api.createEvent({ name: "Demo Night", interactiveLimit: INTERACTIVE_LIMIT, archiveEvent: true });
      expect(
        created.status === "notStarted" && created.interactiveLimit === INTERACTIVE_LIMIT,
        `createEvent answered ${JSON.stringify(created)}`,
      );
      detail(
        `"Demo Night" (id ${created.id}): fan link /show/${admin.id}/${created.fanUrl}; backstage + stage sessions created at the stand-in`,
      );
      return created;
    });

    await step("changeStatus preshow (the live-state record appears)", async () => {
      const answer = await producer.api.changeStatus({ id: event.id, status: "preshow" });
      expect(answer.status === "preshow", `changeStatus answered status ${answer.status}`);
      const record = await get(ref(producer.db, `activeBroadcasts/${admin.id}/${event.fanUrl}/status`));
      expect(record.val() === "preshow", `the live-state record says ${record.val()}`);
      happened("preshow: the live-state record is up, fans can join");
    });
    const showOpened = timeline[0]?.at ?? Date.now();

    /** @type {Array<{ name: string, token: string, sessionId: string, connectionId?: string, publishes: boolean }>} */
    const participants = [];
    await step("Dana takes the producer's seat: moderator tokens on both sessions (createTokenProducer)", async () => {
      const tokens = await producer.api.createTokenProducer({ eventId: event.id });
      expect(
        tokens.stageSessionId === event.stageSessionId && tokens.sessionId === event.sessionId,
        "the producer's tokens are for other sessions",
      );
      participants.push({ name: CAST.producer, token: tokens.stageToken, sessionId: tokens.stageSessionId, publishes: false });
    });

    /** @type {Record<string, { client: DemoClient, token: string, sessionId: string, name: string }>} */
    const onStage = {};
    for (const role of /** @type {const} */ (["host", "celebrity"])) {
      await step(`${CAST[role]} logs in with the ${role} link and gets a stage publisher token`, async () => {
        const participant = client();
        const slug = role === "host" ? event.hostUrl : event.celebrityUrl;
        const login =
          role === "host"
            ? await participant.api.loginHost({ adminId: admin.id, slug })
            : await participant.api.loginCelebrity({ adminId: admin.id, slug });
        expect(login.event.eventId === event.id, `${role} login is for event ${login.event.eventId}`);
        await participant.signInWithCustomToken(login.token);
        names.set(login.uid, CAST[role]);
        const tokens = await participant.api.createTokenHostCeleb();
        expect(tokens.stageSessionId === event.stageSessionId, "the stage token is not for the stage session");
        onStage[role] = { client: participant, token: tokens.stageToken, sessionId: tokens.stageSessionId, name: CAST[role] };
      });
    }
    happened(`${CAST.host} and ${CAST.celebrity} have their stage tokens; ${CAST.producer} watches both sessions`);

    /** @type {Array<{ client: DemoClient, uid: string, fanId: string, answer: any, name: string }>} */
    const fans = await step(`${FAN_COUNT} fans log in with the fan link and ask for tokens (${INTERACTIVE_LIMIT} seats)`, async () => {
      const joined = await inParallel(Array.from({ length: FAN_COUNT }), parallel, async (_, index) => {
        const fan = client();
        const login = await fan.api.loginFan({ adminId: admin.id, slug: event.fanUrl });
        await fan.signInWithCustomToken(login.token);
        const fanId = `${login.uid}-tab1`;
        const answer = await fan.api.createTokensFan({ fanId });
        if (answer.mode === "interactive") {
          // As a real client does at once: the seat frees itself when this client drops.
          await onDisconnect(ref(fan.db, answer.seatPath)).remove();
        }
        names.set(login.uid, FAN_NAMES[index]);
        return { client: fan, uid: login.uid, fanId, answer, name: FAN_NAMES[index] };
      });
      const interactive = joined.filter((fan) => fan.answer.mode === "interactive");
      const hls = joined.filter((fan) => fan.answer.mode === "hls");
      const hlsAnswer = hls[0]?.answer;
      const hlsMessage = hlsAnswer && hlsAnswer.mode !== "interactive" ? hlsAnswer.message : "";
      detail(
        `${interactive.length} interactive (${interactive.map((fan) => fan.name).join(", ")}): backstage publisher + stage subscriber tokens`,
      );
      detail(`${hls.length} HLS (${hls.map((fan) => fan.name).join(", ")}): "${hlsMessage}"`);
      expect(interactive.length === INTERACTIVE_LIMIT, `${interactive.length} fans got interactive seats, expected ${INTERACTIVE_LIMIT}`);
      expect(
        hls.length === FAN_COUNT - INTERACTIVE_LIMIT,
        `${hls.length} fans were sent to HLS, expected ${FAN_COUNT - INTERACTIVE_LIMIT}`,
      );
      return joined;
    });
    const interactiveFans = fans.filter((fan) => fan.answer.mode === "interactive");
    const hlsFans = fans.filter((fan) => fan.answer.mode === "hls");
    const star = interactiveFans[0];
    happened(`${FAN_COUNT} fans arrive: ${interactiveFans.length} take the seats, ${hlsFans.length} are sent to HLS`);

    await step(`${star.name} gets in line (writes the fan's own activeFans record under the rules)`, async () => {
      await set(ref(star.client.db, `activeBroadcasts/${admin.id}/${event.fanUrl}/activeFans/${star.fanId}`), {
        id: star.fanId,
        name: star.name,
        browser: "demo",
      });
      const refused = await star.client.api.createTokenStageFan({ fanId: star.fanId }).then(
        () => false,
        (error) => error.code === "functions/permission-denied",
      );
      expect(refused, "a fan who is only in line got a stage publisher token");
      detail(`in line; createTokenStageFan refuses ${star.name} (permission-denied) until the producer acts`);
    });

    const fanRecord = `activeBroadcasts/${admin.id}/${event.fanUrl}/activeFans/${star.fanId}`;
    await step(
      `Dana moves ${star.name} backstage, then on stage (bringBackstage, bringOnStage: only the server sets the flags)`,
      async () => {
        await star.client.api.joinLine({ fanId: star.fanId, name: star.name });
        await producer.api.bringBackstage({ eventId: event.id, fanId: star.fanId });
        await producer.api.bringOnStage({ eventId: event.id, fanId: star.fanId });
        const flags = (await get(ref(producer.db, fanRecord))).val();
        expect(flags?.isBackstage === false && flags?.isOnStage === true, `the fan record is ${JSON.stringify(flags)}`);
      },
    );

    await step(`${star.name}, on stage, gets a stage publisher token (createTokenStageFan)`, async () => {
      const answer = await star.client.api.createTokenStageFan({ fanId: star.fanId });
      expect(answer.stageSessionId === event.stageSessionId, "the token is not for the stage session");
      onStage.fan = { client: star.client, token: answer.stageToken, sessionId: answer.stageSessionId, name: star.name };
      happened(`${star.name} gets in line; Dana brings ${star.name} backstage, then on stage`);
    });

    participants.push(
      ...Object.values(onStage).map((p) => ({ name: p.name, token: p.token, sessionId: p.sessionId, publishes: true })),
      ...interactiveFans.slice(1).map((fan) => ({
        name: fan.name,
        token: fan.answer.stageToken,
        sessionId: fan.answer.stageSessionId,
        publishes: false,
      })),
    );
    await step(`${participants.length} participants connect their tokens to the Vonage stand-in (stage session)`, async () => {
      for (const participant of participants) {
        const connection = await vonage.connect(participant.sessionId, participant.token);
        participant.connectionId = connection.connectionId;
        if (participant.publishes) await vonage.publish(connection.connectionId, participant.name);
      }
      const state = await vonage.state();
      const stage = state.sessions.find((session) => session.id === event.stageSessionId);
      expect(stage?.connections.length === participants.length, `the stage session has ${stage?.connections.length} connections`);
      detail(
        `${[CAST.host, CAST.celebrity, star.name].join(", ")} publish; Dana and the seated fans subscribe; callbacks flow to vonageCallbacks`,
      );
      happened(`${participants.length} on the stage session: ${[CAST.host, CAST.celebrity, star.name].join(", ")} on camera`);
    });

    const live = await step("eventGoLive: archive and HLS broadcast start", async () => {
      const answer = await producer.api.eventGoLive({ id: event.id });
      expect(answer.status === "live", `eventGoLive answered status ${answer.status}`);
      const state = await vonage.state();
      const archive = state.archives.find((a) => a.sessionId === event.stageSessionId);
      const broadcast = state.broadcasts.find((b) => b.sessionId === event.stageSessionId);
      expect(archive?.status === "started", `archive at the stand-in: ${archive?.status}`);
      expect(broadcast?.status === "started", `broadcast at the stand-in: ${broadcast?.status}`);
      detail(`stand-in: archive ${archive?.id} started, broadcast ${broadcast?.id} started, HLS ${broadcast?.broadcastUrls?.hls}`);
      happened("live: the archive records, the HLS broadcast starts");
      return answer;
    });

    /** uid -> when the HLS viewer got the stream URL (HLS viewing is not metered by Vonage or us). */
    /** @type {Map<string, number>} */
    const watchingSince = new Map();
    await step(`the ${hlsFans.length} HLS fans ask again and now get the stream URL`, async () => {
      await inParallel(hlsFans, parallel, async (fan) => {
        const again = await fan.client.api.createTokensFan({ fanId: fan.fanId });
        expect(again.mode === "hls" && again.hlsUrl === live.broadcast?.hlsUrl, `createTokensFan answered ${JSON.stringify(again)}`);
        watchingSince.set(fan.uid, Date.now());
      });
      happened(`${hlsFans.length} HLS viewers get the stream`);
    });

    const leaving = participants.filter((p) => p.name === CAST.celebrity || p.name === interactiveFans[1]?.name);
    await step(`${leaving.map((p) => p.name).join(" and ")} leave and re-join`, async () => {
      for (const participant of leaving) await vonage.disconnect(/** @type {string} */ (participant.connectionId));
      await sleep(1000);
      for (const participant of leaving) {
        const connection = await vonage.connect(participant.sessionId, participant.token);
        participant.connectionId = connection.connectionId;
        if (participant.publishes) await vonage.publish(connection.connectionId, participant.name);
      }
      detail("attendance is keyed by participant, so the two visits add up");
      happened(`${leaving.map((p) => p.name).join(" and ")} drop out and come back`);
    });

    // Let the show run a moment so the attendance table shows time on stage.
    await sleep(1500);

    const closed = await step("endBroadcast: closed, archive stopped, broadcast kept for the HLS drain", async () => {
      const answer = await producer.api.endBroadcast({ id: event.id });
      expect(answer.status === "closed", `endBroadcast answered status ${answer.status}`);
      // The stand-in's archive callback may already have moved it on to available/uploaded.
      expect(["stopped", "uploaded", "available"].includes(String(answer.archive?.status)), `archive: ${answer.archive?.status}`);
      const state = await vonage.state();
      const archive = state.archives.find((a) => a.sessionId === event.stageSessionId);
      expect(archive !== undefined && !["started", "paused"].includes(archive.status), "the archive is still recording at the stand-in");
      const drain = Math.round(((answer.broadcast?.stopAfter ?? 0) - (answer.showEndedAt ?? 0)) / 1000);
      detail(`archive ${archive?.status} at the stand-in; the broadcast stops after the ${drain} s drain (HLS trails the show)`);
      happened(`closed: the archive stops; HLS keeps playing for the ${drain} s drain`);
      return answer;
    });

    const drainSeconds = Math.max(0, Math.round(((closed.broadcast?.stopAfter ?? Date.now()) - Date.now()) / 1000));
    let broadcastStoppedAt = Date.now();
    await step(
      "participants leave; the drain ends and the broadcast stops; the live-state record goes",
      async () => {
        for (const participant of participants) await vonage.disconnect(/** @type {string} */ (participant.connectionId));
        const stopAfter = closed.broadcast?.stopAfter ?? Date.now();
        /** @type {number | null} */
        let lastShown = null;
        await waitFor(
          "the broadcast to stop",
          async () => {
            const left = Math.ceil((stopAfter - Date.now()) / 1000);
            // A countdown, not a silent wait: every second for short drains, every 5 s for long ones.
            if (left > 0 && left !== lastShown && (drainSeconds <= 10 || left % 5 === 0)) {
              lastShown = left;
              detail(`HLS drain: the broadcast stops in ${left} s`);
            }
            return (await vonage.state()).broadcasts.find((b) => b.sessionId === event.stageSessionId)?.status;
          },
          (status) => status === "stopped",
          { timeoutMs: drainSeconds * 1000 + 90_000 },
        );
        broadcastStoppedAt = Date.now();
        detail(`the broadcast stopped ${seconds(broadcastStoppedAt - (closed.showEndedAt ?? broadcastStoppedAt))} after the close`);
        await waitFor(
          "the live-state record to be removed",
          async () => (await get(ref(producer.db, `activeBroadcasts/${admin.id}/${event.fanUrl}/status`))).val(),
          (status) => status === null,
          { timeoutMs: 90_000 },
        );
        happened("the broadcast stops; the live-state record goes");
      },
      { timeoutMs: drainSeconds * 1000 + stepTimeoutMs },
    );

    const analytics = await step("getSessionAnalytics: the attendance table", async () => {
      await vonage.callbacksIdle();
      const answer = await waitFor(
        "every participant's attendance",
        () => producer.api.getSessionAnalytics({ eventId: event.id }),
        (value) => value.participantCount >= participants.length && value.connectedCount === 0,
        { timeoutMs: 30_000 },
      );
      return answer;
    });

    log("");
    log(
      `Attendance of "${analytics.name}" (live ${minutes(analytics.show.durationMs)} min, peak ${analytics.peakInteractive} interactive seats, ${analytics.hlsAdmissions} HLS answers)`,
    );
    // Seconds beside the minutes the API reports: a demo show lasts seconds.
    /** @type {Record<string, string>} */
    const roles = { producer: "producer", host: "host", celebrity: "celebrity", fan: "fan (seat)", backstageFan: "fan (backstage)" };
    log(`  ${pad("who", 24)}${pad("role", 16)}${pad("visits", 8)}${pad("attended", 22)}on camera`);
    for (const row of analytics.participants) {
      const role = row.participantId === star.uid ? "fan on stage" : (roles[row.userType] ?? row.userType);
      const attended = `${seconds(row.attendedMs)} (${row.attendedMinutes.toFixed(2)} min)`;
      log(
        `  ${pad(names.get(row.participantId) ?? row.name ?? row.participantId, 24)}${pad(role, 16)}${pad(row.connections, 8)}${pad(attended, 22)}${row.publishedMs ? seconds(row.publishedMs) : "-"}`,
      );
    }
    for (const fan of hlsFans) {
      const since = watchingSince.get(fan.uid) ?? broadcastStoppedAt;
      log(`  ${pad(fan.name, 24)}${pad("HLS viewer", 16)}${pad("-", 8)}${pad(`${seconds(broadcastStoppedAt - since)} (stream)`, 22)}-`);
    }
    log(`  ${pad("total on Vonage sessions", 48)}${seconds(analytics.totalAttendedMs)} (${analytics.totalAttendedMinutes.toFixed(2)} min)`);
    log("  (HLS viewing is not metered: its time runs from getting the stream URL to the broadcast's stop.)");
    const rejoined = analytics.participants.filter((row) => row.connections >= 2);
    expect(rejoined.length >= leaving.length, `${rejoined.length} participants show two visits, expected ${leaving.length}`);

    log("");
    log("Run of show (from the preshow):");
    for (const entry of timeline) log(`  ${entry.at < showOpened ? "  -  " : clock(entry.at - showOpened)}  ${entry.what}`);
    log("");
    log(`The show ran end to end in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return { adminId: admin.id, eventId: event.id, analytics, timeline, names };
  } finally {
    setLogLevel("warn");
    await Promise.all(clients.map((created) => created.close().catch(() => undefined)));
  }
}

const HELP = `npm run demo: a whole show through the real web SDK, step by step with timings (~1 min).

It uses the stack of a running npm start (found through the stack.json in its data directory,
.local-stack/data or LOCAL_DATA_DIR, whatever its ports), else starts its own on ports shifted by
DEMO_PORT_BASE (default 50), with a 2 s broadcast drain, and stops it at the end or on Ctrl-C.

Options:
${flagHelp(DEMO_FLAGS)}
`;

async function main() {
  let flags;
  try {
    flags = parseFlags(DEMO_FLAGS, process.argv.slice(2), { what: "npm run demo" }).values;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`npm run demo: ${error.message}`);
    process.exit(2);
  }
  if (flags.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const started = Date.now();
  const controller = new AbortController();
  /** @type {{ stop: () => Promise<void> } | null} */
  let stack = null;
  let interrupted = false;
  const stopOwn = async () => {
    const own = stack;
    stack = null;
    if (own) {
      console.log("Stopping the demo's local stack ...");
      await own.stop();
    }
  };
  /** @type {Promise<unknown> | null} a start in progress: on Ctrl-C it cleans up after itself */
  let starting = null;
  const onSignal = async (/** @type {NodeJS.Signals} */ signal) => {
    if (interrupted) return;
    interrupted = true;
    console.log(`\n${signal}: ending the demo ...`);
    controller.abort();
    if (starting) await starting.catch(() => undefined);
    await stopOwn();
    process.exit(130);
  };
  process.on("SIGINT", () => void onSignal("SIGINT"));
  process.on("SIGTERM", () => void onSignal("SIGTERM"));

  let ports;
  let superAdmin = DEMO_SUPER_ADMIN;
  const found = await discoverStack();
  if (found) {
    ports = /** @type {Ports} */ (found.ports);
    if (found.record?.superAdmin?.email) superAdmin = { ...DEMO_SUPER_ADMIN, email: found.record.superAdmin.email };
    console.log(
      `Using the local stack of npm start (${found.source}; functions on port ${ports.functions}, database on ${ports.database}).`,
    );
  } else {
    const { startStack } = require("./stack.cjs");
    const { ensureDemoSuperAdmin } = require("./seed.cjs");
    const base = Number(process.env.DEMO_PORT_BASE ?? 50);
    console.log(`No local stack running: starting one for the demo (ports shifted by ${base}, ~20 s) ...`);
    try {
      // A 2 s broadcast drain instead of the production 30 s keeps the demo short.
      const start = startStack({ portBase: base, functionsEnv: { BROADCAST_DRAIN_SECONDS: "2" }, signal: controller.signal });
      starting = start;
      const own = await start;
      starting = null;
      stack = own;
      if (interrupted) return;
      ports = /** @type {Ports} */ (own.ports);
      await ensureDemoSuperAdmin(ports);
    } catch (error) {
      if (interrupted) return;
      await stopOwn();
      throw error;
    }
    console.log(`Local stack up in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  }
  console.log("");
  let code = 0;
  try {
    await runDemo({ ports, superAdmin, signal: controller.signal });
  } catch (error) {
    if (interrupted) return;
    code = 1;
    console.error(`\nDEMO FAILED: ${messageOf(error)}`);
  } finally {
    if (!interrupted) await stopOwn();
  }
  if (!interrupted) process.exit(code);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`\nDEMO FAILED: ${messageOf(error)}`);
    process.exit(1);
  });
}

module.exports = { runDemo, StepFailed };
