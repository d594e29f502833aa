// @ts-check
/**
 * `npm run demo`: a scripted show through the real web SDK against the local stack, printed as a
 * transcript with timings. Uses the `npm start` stack when one is up on the default ports, otherwise
 * starts its own (ports shifted by DEMO_PORT_BASE, default 50) and stops it at the end.
 * Every step checks its result; the first one that did not do what it says ends the demo with exit 1.
 *
 * The callables go through the typed client (client/), which `npm run demo` type-checks first
 * (this file is `// @ts-check`ed by client/tsconfig.json).
 */
"use strict";
const { ref, set, onDisconnect, get } = require("firebase/database");
const { setLogLevel } = require("firebase/app");
const { newClient } = require("./client.cjs");
const { inParallel, waitFor } = require("./async.cjs");
const { api } = require("../client/index.cjs");
const { DEMO_SUPER_ADMIN, localApplication, resolvePorts } = require("./config.cjs");

/** @typedef {import("../client/index.d.cts").Api} Api */
/** @typedef {ReturnType<typeof newClient> & { api: Api }} DemoClient */
/** @typedef {Record<string, number>} Ports */
/** @typedef {{ sessions: Array<{ id: string, connections: Array<{ connectionId: string }> }>, archives: Array<{ id: string, sessionId: string, status: string }>, broadcasts: Array<{ id: string, sessionId: string, status: string, broadcastUrls?: { hls?: string } }> }} StandinState */

const INTERACTIVE_LIMIT = 5;
const FAN_COUNT = 12;

class StepFailed extends Error {}

/** Throws StepFailed (the demo's exit-1 path) unless `condition` holds. */
function expect(condition, message) {
  if (!condition) throw new StepFailed(message);
}

/** The Vonage stand-in's control API over HTTP (works for a stack in this process or `npm start`'s). */
function standin(ports) {
  const base = `http://127.0.0.1:${ports.vonage}/_control`;
  /** @param {string} method @param {string} path @param {unknown} [body] */
  async function request(method, path, body) {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new StepFailed(`Vonage stand-in ${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
  return {
    /** @returns {Promise<StandinState>} */
    state: () => request("GET", "/state"),
    /** @returns {Promise<{ connectionId: string }>} */
    connect: (sessionId, token) => request("POST", `/sessions/${encodeURIComponent(sessionId)}/connections`, { token }),
    /** @returns {Promise<{ id: string }>} */
    publish: (connectionId, name) =>
      request("POST", `/connections/${encodeURIComponent(connectionId)}/streams`, { name, videoType: "camera" }),
    disconnect: (connectionId) => request("DELETE", `/connections/${encodeURIComponent(connectionId)}?reason=clientDisconnected`),
    callbacksIdle: () => request("POST", "/callbacks/idle"),
  };
}

async function reachable(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1500) });
    return response.status < 500;
  } catch {
    return false;
  }
}

const pad = (text, width) => String(text).padEnd(width);
const minutes = (ms) => (ms / 60000).toFixed(2);

/**
 * The show. `log` gets one line per step as it happens; resolves with a summary, rejects at the
 * first step that did not do what it says.
 * @param {{ ports: Ports, log?: (line: string) => void, superAdmin?: { email: string, password: string }, parallel?: number }} options
 */
async function runDemo({ ports, log = console.log, superAdmin = DEMO_SUPER_ADMIN, parallel = 4 }) {
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
  let stepNumber = 0;
  /** @template T @param {string} title @param {() => Promise<T>} body @returns {Promise<T>} */
  async function step(title, body) {
    const number = ++stepNumber;
    const stepStarted = Date.now();
    log(`[${((stepStarted - started) / 1000).toFixed(1).padStart(5)} s] ${String(number).padStart(2)}. ${title} ...`);
    try {
      const result = await body();
      log(`         ok (${Date.now() - stepStarted} ms)`);
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const code = /** @type {{ code?: string }} */ (error).code;
      throw new StepFailed(`step ${number} "${title}" failed: ${code ? `${code}: ` : ""}${message}`);
    }
  }
  const detail = (line) => log(`         ${line}`);
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
      "createAdmin (application id + private key, checked against the stand-in, the key sealed server-side)",
      async () => {
        const created = await boss.api.createAdmin({
          displayName: "Demo Producer",
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
        detail(`admin ${created.admin.id} (${email}), own Vonage application ${created.admin.vonageApplicationId}`);
        return created;
      },
    );

    const producer = client();
    await step("the admin signs in (email/password) and calls login", async () => {
      await producer.signInWithPassword(email, password);
      const answer = await producer.api.login();
      expect(answer.admin.id === admin.id, `login answered ${JSON.stringify(answer)}`);
      if (answer.refreshIdToken) await producer.refreshClaims();
      const claims = (await producer.auth.currentUser?.getIdTokenResult())?.claims;
      expect(claims?.role === "admin", `the admin's token has role ${claims?.role}`);
    });

    const event = await step(`createEvent "Demo Night" with interactiveLimit ${INTERACTIVE_LIMIT}, archived`, async () => {
      const created = await producer.api.createEvent({ name: "Demo Night", interactiveLimit: INTERACTIVE_LIMIT, archiveEvent: true });
      expect(
        created.status === "notStarted" && created.interactiveLimit === INTERACTIVE_LIMIT,
        `createEvent answered ${JSON.stringify(created)}`,
      );
      detail(`event ${created.id}: fan link /show/${admin.id}/${created.fanUrl}; backstage + stage sessions created at the stand-in`);
      return created;
    });

    await step("changeStatus preshow (the live-state record appears)", async () => {
      const answer = await producer.api.changeStatus({ id: event.id, status: "preshow" });
      expect(answer.status === "preshow", `changeStatus answered status ${answer.status}`);
      const record = await get(ref(producer.db, `activeBroadcasts/${admin.id}/${event.fanUrl}/status`));
      expect(record.val() === "preshow", `the live-state record says ${record.val()}`);
    });

    /** @type {Record<string, { client: DemoClient, token: string, sessionId: string, connectionId?: string, name: string }>} */
    const onStage = {};
    for (const role of /** @type {const} */ (["host", "celebrity"])) {
      await step(`${role} logs in with the ${role} link and gets a stage publisher token`, async () => {
        const participant = client();
        const slug = role === "host" ? event.hostUrl : event.celebrityUrl;
        const login =
          role === "host"
            ? await participant.api.loginHost({ adminId: admin.id, slug })
            : await participant.api.loginCelebrity({ adminId: admin.id, slug });
        expect(login.event.eventId === event.id, `${role} login is for event ${login.event.eventId}`);
        await participant.signInWithCustomToken(login.token);
        const tokens = await participant.api.createTokenHostCeleb();
        expect(tokens.stageSessionId === event.stageSessionId, "the stage token is not for the stage session");
        onStage[role] = { client: participant, token: tokens.stageToken, sessionId: tokens.stageSessionId, name: role };
      });
    }

    /** @type {Array<{ client: DemoClient, uid: string, fanId: string, answer: any }>} */
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
        return { client: fan, uid: login.uid, fanId, answer, index };
      });
      const interactive = joined.filter((fan) => fan.answer.mode === "interactive");
      const hls = joined.filter((fan) => fan.answer.mode === "hls");
      const hlsAnswer = hls[0]?.answer;
      const hlsMessage = hlsAnswer && hlsAnswer.mode !== "interactive" ? hlsAnswer.message : "";
      detail(`${interactive.length} interactive (backstage publisher + stage subscriber tokens), ${hls.length} HLS ("${hlsMessage}")`);
      expect(interactive.length === INTERACTIVE_LIMIT, `${interactive.length} fans got interactive seats, expected ${INTERACTIVE_LIMIT}`);
      expect(
        hls.length === FAN_COUNT - INTERACTIVE_LIMIT,
        `${hls.length} fans were sent to HLS, expected ${FAN_COUNT - INTERACTIVE_LIMIT}`,
      );
      return joined;
    });
    const interactiveFans = fans.filter((fan) => fan.answer.mode === "interactive");
    const star = interactiveFans[0];

    await step("a fan gets in line (writes its own activeFans record under the rules)", async () => {
      await set(ref(star.client.db, `activeBroadcasts/${admin.id}/${event.fanUrl}/activeFans/${star.fanId}`), {
        id: star.fanId,
        name: "Fan in line",
        browser: "demo",
      });
      const refused = await star.client.api.createTokenStageFan({ fanId: star.fanId }).then(
        () => false,
        (error) => error.code === "functions/permission-denied",
      );
      expect(refused, "a fan who is only in line got a stage publisher token");
      detail("in line; createTokenStageFan refuses it (permission-denied) until the producer acts");
    });

    const fanRecord = `activeBroadcasts/${admin.id}/${event.fanUrl}/activeFans/${star.fanId}`;
    await step("the producer moves the fan backstage, then on stage (flags only the owner admin may set)", async () => {
      await set(ref(producer.db, `${fanRecord}/isBackstage`), true);
      await set(ref(producer.db, `${fanRecord}/isOnStage`), true);
      const flags = (await get(ref(producer.db, fanRecord))).val();
      expect(flags?.isBackstage === true && flags?.isOnStage === true, `the fan record is ${JSON.stringify(flags)}`);
    });

    await step("the fan on stage gets a stage publisher token (createTokenStageFan)", async () => {
      const answer = await star.client.api.createTokenStageFan({ fanId: star.fanId });
      expect(answer.stageSessionId === event.stageSessionId, "the token is not for the stage session");
      onStage.fan = { client: star.client, token: answer.stageToken, sessionId: answer.stageSessionId, name: "fan on stage" };
    });

    /** @type {Array<{ name: string, token: string, sessionId: string, connectionId?: string, publishes: boolean }>} */
    const participants = [
      ...Object.values(onStage).map((p) => ({ name: p.name, token: p.token, sessionId: p.sessionId, publishes: true })),
      ...interactiveFans.slice(1).map((fan, i) => ({
        name: `fan ${i + 2} (audience)`,
        token: fan.answer.stageToken,
        sessionId: fan.answer.stageSessionId,
        publishes: false,
      })),
    ];
    await step(`${participants.length} participants connect their tokens to the Vonage stand-in (stage session)`, async () => {
      for (const participant of participants) {
        const connection = await vonage.connect(participant.sessionId, participant.token);
        participant.connectionId = connection.connectionId;
        if (participant.publishes) await vonage.publish(connection.connectionId, participant.name);
      }
      const state = await vonage.state();
      const stage = state.sessions.find((session) => session.id === event.stageSessionId);
      expect(stage?.connections.length === participants.length, `the stage session has ${stage?.connections.length} connections`);
      detail("host, celebrity and the fan on stage publish; the seated fans subscribe; callbacks flow to vonageCallbacks");
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
      return answer;
    });

    await step("an HLS fan asks again and now gets the stream URL", async () => {
      const hlsFan = fans.find((fan) => fan.answer.mode === "hls");
      expect(hlsFan, "no HLS fan");
      const again = await /** @type {NonNullable<typeof hlsFan>} */ (hlsFan).client.api.createTokensFan({
        fanId: /** @type {NonNullable<typeof hlsFan>} */ (hlsFan).fanId,
      });
      expect(again.mode === "hls" && again.hlsUrl === live.broadcast?.hlsUrl, `createTokensFan answered ${JSON.stringify(again)}`);
    });

    const leaving = participants.filter((p) => p.name === "celebrity" || p.name.startsWith("fan 2"));
    await step(`${leaving.map((p) => p.name).join(" and ")} leave and re-join`, async () => {
      for (const participant of leaving) await vonage.disconnect(/** @type {string} */ (participant.connectionId));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      for (const participant of leaving) {
        const connection = await vonage.connect(participant.sessionId, participant.token);
        participant.connectionId = connection.connectionId;
        if (participant.publishes) await vonage.publish(connection.connectionId, participant.name);
      }
      detail("attendance is keyed by participant, so the two visits add up");
    });

    // Let the show run a moment so the attendance table shows time on stage.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    await step("endBroadcast: closed, archive stopped, broadcast kept for the HLS drain", async () => {
      const answer = await producer.api.endBroadcast({ id: event.id });
      expect(answer.status === "closed", `endBroadcast answered status ${answer.status}`);
      // The stand-in's archive callback may already have moved it on to available/uploaded.
      expect(["stopped", "uploaded", "available"].includes(String(answer.archive?.status)), `archive: ${answer.archive?.status}`);
      const state = await vonage.state();
      const archive = state.archives.find((a) => a.sessionId === event.stageSessionId);
      expect(archive !== undefined && !["started", "paused"].includes(archive.status), "the archive is still recording at the stand-in");
      detail(
        `archive ${archive?.status} at the stand-in; broadcast stops after the drain (${Math.round(((answer.broadcast?.stopAfter ?? 0) - (answer.showEndedAt ?? 0)) / 1000)} s)`,
      );
    });

    await step("participants leave; the drain ends and the broadcast stops; the live-state record goes", async () => {
      for (const participant of participants) await vonage.disconnect(/** @type {string} */ (participant.connectionId));
      await waitFor(
        "the broadcast to stop",
        async () => (await vonage.state()).broadcasts.find((b) => b.sessionId === event.stageSessionId)?.status,
        (status) => status === "stopped",
        { timeoutMs: 90_000 },
      );
      await waitFor(
        "the live-state record to be removed",
        async () => (await get(ref(producer.db, `activeBroadcasts/${admin.id}/${event.fanUrl}/status`))).val(),
        (status) => status === null,
        { timeoutMs: 90_000 },
      );
    });

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
      `Attendance of "${analytics.name}" (show ${minutes(analytics.show.durationMs)} min live, peak interactive ${analytics.peakInteractive}, HLS answers ${analytics.hlsAdmissions})`,
    );
    // Seconds beside the minutes the API reports: a demo show lasts seconds.
    const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
    log(`  ${pad("participant", 40)}${pad("type", 12)}${pad("visits", 8)}${pad("attended", 22)}published`);
    for (const row of analytics.participants) {
      const attended = `${seconds(row.attendedMs)} (${row.attendedMinutes.toFixed(2)} min)`;
      log(
        `  ${pad(row.participantId, 40)}${pad(row.userType, 12)}${pad(row.connections, 8)}${pad(attended, 22)}${seconds(row.publishedMs)}`,
      );
    }
    log(`  ${pad("total", 60)}${seconds(analytics.totalAttendedMs)} (${analytics.totalAttendedMinutes.toFixed(2)} min)`);
    const rejoined = analytics.participants.filter((row) => row.connections >= 2);
    expect(rejoined.length >= leaving.length, `${rejoined.length} participants show two visits, expected ${leaving.length}`);
    log("");
    log(`The show ran end to end in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return { adminId: admin.id, eventId: event.id, analytics };
  } finally {
    setLogLevel("warn");
    await Promise.all(clients.map((created) => created.close().catch(() => undefined)));
  }
}

async function main() {
  const started = Date.now();
  const defaults = /** @type {Ports} */ (resolvePorts());
  let stack = null;
  let ports = defaults;
  const running =
    (await reachable(`http://127.0.0.1:${defaults.vonage}/_control/state`)) && (await reachable(`http://127.0.0.1:${defaults.functions}/`));
  if (running) {
    console.log(`Using the local stack of npm start (functions on port ${defaults.functions}).`);
  } else {
    const { startStack } = require("./stack.cjs");
    const { ensureDemoSuperAdmin } = require("./seed.cjs");
    const base = Number(process.env.DEMO_PORT_BASE ?? 50);
    console.log(`No local stack on the default ports: starting one for the demo (ports shifted by ${base}, ~20 s) ...`);
    // A 2 s broadcast drain instead of the production 30 s keeps the demo short.
    stack = await startStack({ portBase: base, functionsEnv: { BROADCAST_DRAIN_SECONDS: "2" } });
    await ensureDemoSuperAdmin(stack.ports);
    ports = /** @type {Ports} */ (stack.ports);
    console.log(`Local stack up in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  }
  console.log("");
  let code = 0;
  try {
    await runDemo({ ports });
  } catch (error) {
    code = 1;
    console.error(`\nDEMO FAILED: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (stack) {
      console.log("Stopping the demo's local stack ...");
      await stack.stop();
    }
  }
  process.exit(code);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`\nDEMO FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

module.exports = { runDemo, StepFailed };
