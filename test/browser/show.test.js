// @ts-check
/**
 * A whole show in real browsers (Debian's Chromium through playwright-core) against the local stack
 * with the web app on the Hosting emulator: the superAdmin's page, the producer's console, the host's
 * page and three fans (one in line first, brought backstage and on stage and sent a message; one in
 * line second and removed by the producer; one on HLS because the show is full, who asks for a seat,
 * is offered the one fan Dee frees and takes it, while newcomer Eve still gets HLS). Each step checks what each person sees; every page must stay free of console errors and
 * failed requests and pass axe-core without serious issues. Screenshots: test-artifacts/browser/.
 */
"use strict";
const assert = require("node:assert/strict");
const { sharedStack } = require("../support/stack.cjs");
const { launchBrowser, person, accessibilityProblems, tabTo, resetArtifacts } = require("../support/browser.cjs");
const { DEMO_SUPER_ADMIN, LOCAL_VONAGE } = require("../../local/config.cjs");

/**
 * @typedef {import("../support/stack.cjs").SharedStack} SharedStack
 * @typedef {import("playwright-core").Browser} Browser
 * @typedef {import("playwright-core").Page} Page
 * @typedef {import("playwright-core").Locator} Locator
 * @typedef {Awaited<ReturnType<typeof person>>} Person
 * @typedef {import("../../local/vonage-standin/lib/types").Stream} StandinStream
 * @typedef {import("@interactive-broadcast/contract").CallableOutput<"refreshTokens">} RefreshTokensOutput
 */

const FAN_BUTTONS = new Set([
  "Join the show",
  "Get in line",
  "Leave the line",
  "Leave the show",
  "Ask for a seat again",
  "Tell me when a seat frees",
  "Stop waiting for a seat",
  "Take my seat",
  "No thanks",
]);

describe("the show in a browser (Chromium, web app on the Hosting emulator)", function () {
  this.timeout(180_000);
  /** @type {SharedStack} */
  let stack;
  /** @type {Browser | undefined} */
  let browser;
  /** @type {Record<string, Person>} the people at a browser, by name */
  const people = {};
  /** The show's links, from the producer's console. @type {{ fanUrl: string, hostUrl: string }} */
  const show = { fanUrl: "", hostUrl: "" };
  let failed = false;

  before(async function () {
    this.timeout(900_000); // a first run may install Chromium
    stack = await sharedStack();
    browser = await launchBrowser();
    resetArtifacts();
  });

  after(async () => {
    for (const someone of Object.values(people)) await someone.close().catch(() => undefined);
    await browser?.close();
  });

  beforeEach(function () {
    if (failed) this.skip();
  });

  afterEach(async function () {
    if (this.currentTest?.state === "failed") {
      failed = true;
      for (const someone of Object.values(people)) {
        await someone.shot("at-failure").catch(() => undefined);
        if (someone.problems.length) console.log(`    ${someone.name}'s page problems: ${someone.problems.join("; ")}`);
      }
      return;
    }
    for (const someone of Object.values(people)) {
      assert.deepEqual(someone.problems.splice(0), [], `${someone.name}'s page had console errors or failed requests`);
    }
  });

  /** @param {string} name */
  async function join(name) {
    if (!browser) throw new Error("no browser: the suite's before hook failed");
    people[name] = await person(browser, name);
    return people[name];
  }

  /** @param {Person} someone */
  async function accessible(someone) {
    assert.deepEqual(await accessibilityProblems(someone.page), [], `${someone.name}'s page fails the accessibility check`);
  }

  /**
   * Takes the expected refusals of `callable` (HTTP `status`, and the console line Chromium prints for
   * each) out of the page's problems: exactly `count` of them, nothing else.
   * @param {Person} someone @param {string} callable @param {number} status @param {number} count
   */
  function expectRefusals(someone, callable, status, count) {
    const http = new RegExp(`^HTTP ${status}: POST .*/${callable}$`);
    const refused = someone.problems.filter((problem) => http.test(problem));
    assert.equal(refused.length, count, `${someone.name}: ${someone.problems.join("; ")}`);
    let consoleLines = count;
    const rest = someone.problems.filter((problem) => {
      if (http.test(problem)) return false;
      if (
        consoleLines > 0 &&
        problem.startsWith(`console error: Failed to load resource: the server responded with a status of ${status} `)
      ) {
        consoleLines -= 1;
        return false;
      }
      return true;
    });
    someone.problems.splice(0, someone.problems.length, ...rest);
  }

  /**
   * The labels of the page's buttons: a fan sees only controls it can use.
   * @param {Page} page
   */
  async function buttons(page) {
    return (await page.getByRole("button").allInnerTexts()).map((text) => text.trim());
  }

  /**
   * The attribute `name` of the element `locator` finds, which must have it.
   * @param {Locator} locator @param {string} name
   */
  async function attribute(locator, name) {
    const value = await locator.getAttribute(name);
    assert.ok(value !== null, `${locator.toString()} has no ${name} attribute`);
    return value;
  }

  it("the superAdmin signs in on the admins page and adds an admin; no secret is ever shown", async () => {
    // The seeded superAdmin is also the producer of the show below.
    const boss = await join("producer");
    const { page } = boss;
    await page.goto(`${stack.webUrl}/admin`);
    await page.getByLabel("E-mail").fill(DEMO_SUPER_ADMIN.email);
    await page.getByLabel("Password").fill(DEMO_SUPER_ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Admins" }).waitFor();
    await page.getByTestId("admins-table").getByText(DEMO_SUPER_ADMIN.displayName).waitFor();
    await page.getByRole("button", { name: "New admin" }).click();
    const form = page.getByRole("form", { name: "New admin" });
    await form.getByLabel("Name").fill("Browser Producer");
    await form.getByLabel("E-mail").fill(`browser-${Date.now().toString(36)}@demo.local`);
    await form.getByLabel("Password (8 to 128 characters)").fill("browser-producer-pw");
    await form.getByLabel("Credential").selectOption("legacy");
    await form.getByLabel("API key").fill(LOCAL_VONAGE.apiKey);
    await form.getByLabel("API secret").fill(LOCAL_VONAGE.apiSecret);
    await form.getByRole("button", { name: "Create admin" }).click();
    await page.getByTestId("admins-outcome").getByText(`Saved Browser Producer: Legacy OpenTok project ${LOCAL_VONAGE.apiKey}.`).waitFor();
    const row = page.getByRole("row", { name: /Browser Producer/ });
    await row.getByText(`Legacy OpenTok project ${LOCAL_VONAGE.apiKey}`).waitFor();
    assert.ok(!(await page.content()).includes(LOCAL_VONAGE.apiSecret), "the admins page shows a Vonage secret");
    await accessible(boss);
    await boss.shot("admins");
  });

  it("the producer creates an event with 2 seats and images; the fan page says it is not open yet", async () => {
    const { page } = people.producer;
    await page.getByRole("link", { name: "Events" }).click();
    await page.getByRole("heading", { name: "Your events" }).waitFor();
    await page.getByRole("button", { name: "New event" }).click();
    const form = page.getByRole("form", { name: "New event" });
    await form.getByLabel("Name").fill("Browser Night");
    await form.getByLabel("Interactive seats").fill("2");
    await form.getByLabel("Record an archive when the show goes live").check();
    await form.getByRole("button", { name: "Use the sample start image" }).click();
    await form.getByRole("button", { name: "Use the sample end image" }).click();
    await form.getByRole("img", { name: "End image preview" }).waitFor();
    await accessible(people.producer);
    await people.producer.shot("new-event");
    await form.getByRole("button", { name: "Create event" }).click();
    await page.getByRole("heading", { name: "Browser Night" }).waitFor();
    await page.getByTestId("event-status").getByText("Not started").waitFor();
    show.fanUrl = await attribute(page.getByTestId("link-fan"), "href");
    show.hostUrl = await attribute(page.getByTestId("link-host"), "href");
    assert.match(show.fanUrl, /\/show\/[A-Za-z0-9_-]+\/browser-night/);

    const ada = await join("fan-ada");
    await ada.page.goto(show.fanUrl);
    await ada.page.getByTestId("show-state").getByText("Not open yet").waitFor();
    await ada.page.getByRole("img", { name: "Start image of Browser Night" }).waitFor();
    assert.deepEqual(await buttons(ada.page), []);
    await accessible(ada);
    await ada.shot("not-open-yet");
  });

  it("the producer opens the preshow; the host joins the stage from the host link", async () => {
    const { page } = people.producer;
    await page.getByRole("button", { name: "Open preshow" }).click();
    await page.getByTestId("transition-outcome").getByText("Open preshow: the show is now preshow.").waitFor();
    await page.getByTestId("event-status").getByText("Preshow").waitFor();
    await page.getByText("Next allowed: Live, Closed").waitFor();

    const host = await join("host");
    await host.page.goto(show.hostUrl);
    await host.page.getByTestId("show-state").getByText("Preshow: fans are arriving.").waitFor({ timeout: 90_000 });
    await host.page.getByText("media is simulated").waitFor();
    await host.page.getByRole("button", { name: "Join the stage" }).click();
    await host.page.getByTestId("stage-outcome").getByText("You're on stage.").waitFor();
    await host.page.getByTestId("tile").getByText("Host (you)").waitFor();
    await page.getByTestId("presence").getByText("Host: on stage").waitFor();
    await page.getByRole("region", { name: "Stage", exact: true }).getByText("Host").waitFor();
    await accessible(host);
  });

  it("the producer calls the host privately (keyboard), ends the call, and mutes the host's stream", async () => {
    const { page } = people.producer;
    const state = page.getByTestId("private-call-state");
    await state.getByText("No private call.").waitFor();
    await tabTo(page, page.getByRole("button", { name: "Private call with the host" }));
    await page.keyboard.press("Enter");
    await page.getByTestId("guest-call-outcome").getByText("In a private call with the host.").waitFor();
    // The live record's privateCall, as the server wrote it.
    await state.getByText("In a private call with the host.").waitFor();
    await page.getByRole("button", { name: "Private call with the celebrity" }).waitFor();
    await accessible(people.producer);
    await page.getByRole("button", { name: "End the private call" }).click();
    await page.getByTestId("guest-call-outcome").getByText("The private call has ended.").waitFor();
    await state.getByText("No private call.").waitFor();
    // The server knows a stream from Vonage's streamCreated callback, which may still be on its way.
    const hostTile = page.getByRole("region", { name: "Stage", exact: true }).getByTestId("tile").filter({ hasText: "Host" });
    const outcome = hostTile.getByTestId("stream-mute-outcome");
    const finished = hostTile.locator('[data-testid="stream-mute-outcome"].outcome-ok, [data-testid="stream-mute-outcome"].outcome-error');
    let refusals = 0;
    for (let attempt = 0; attempt < 20; attempt += 1) {
      await hostTile.getByRole("button", { name: "Mute Host's audio" }).click();
      await finished.waitFor();
      if ((await attribute(outcome, "class")).includes("outcome-ok")) break;
      assert.match(await outcome.innerText(), /^failed-precondition: No stream/);
      refusals += 1;
      await page.waitForTimeout(1000);
    }
    await outcome.getByText("Host is muted (only they can unmute).").waitFor();
    expectRefusals(people.producer, "muteStream", 400, refusals);
    // At Vonage (the stand-in): the host's stream on stage has its audio muted.
    const standinState = await (await fetch(`http://127.0.0.1:${stack.ports.vonage}/_control/state`)).json();
    // What the stand-in's /_control/state answers, in part (JSON: fetch types it unknown).
    const vonage = /** @type {{ sessions: Array<{ streams: StandinStream[] }> }} */ (standinState);
    const hostStreams = vonage.sessions.flatMap((session) => session.streams).filter((stream) => stream.name === "Host");
    assert.ok(hostStreams.length >= 1 && hostStreams.every((stream) => stream.audioMuted), JSON.stringify(hostStreams));
    await people.producer.shot("guest-controls");
  });

  it("fan Ada joins with the keyboard alone and gets a seat; she sees the stage", async () => {
    const ada = people["fan-ada"];
    const { page } = ada;
    await page.getByTestId("show-state").getByText("The show is open: the preshow is on").waitFor({ timeout: 20_000 });
    const name = page.getByLabel("Your name (the producer sees it if you get in line)");
    await tabTo(page, name);
    await page.keyboard.type("Ada");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "You're in the show" }).waitFor();
    await page.getByTestId("fan-state").getByText("You have a seat").waitFor();
    await page.getByRole("region", { name: "On stage" }).getByText("Host").waitFor();
    await page.getByText("media is simulated").waitFor();
    assert.deepEqual(await buttons(page), ["Get in line", "Leave the show"]);
    await accessible(ada);
  });

  it("fan Ben joins, gets the last seat and gets in line", async () => {
    const ben = await join("fan-ben");
    const { page } = ben;
    await page.goto(show.fanUrl);
    await page.getByLabel("Your name (the producer sees it if you get in line)").fill("Ben");
    await page.getByRole("button", { name: "Join the show" }).click();
    await page.getByRole("heading", { name: "You're in the show" }).waitFor();
    await page.getByRole("button", { name: "Get in line" }).click();
    await page.getByTestId("fan-state").getByText("You're in line.").waitFor();
    // The server's place in line, live from his own entry at linePath.
    await page.getByTestId("line-position").getByText("1", { exact: true }).waitFor();
    await page.getByRole("region", { name: "Backstage (you)" }).getByText("Ben (you)").waitFor();
    assert.deepEqual(await buttons(page), ["Leave the line", "Leave the show"]);
    await accessible(ben);
    await ben.shot("in-line");
  });

  it("fan Cy finds the show full and is sent to HLS, with the reason", async () => {
    const cy = await join("fan-cy");
    // Cy's page runs on a clock the suite can move (flowing as real time until then): the token
    // refresh step below jumps it to just before her tokens' refresh is due.
    await cy.context.clock.install();
    const { page } = cy;
    await page.goto(show.fanUrl);
    await page.getByLabel("Your name (the producer sees it if you get in line)").fill("Cy");
    await page.getByRole("button", { name: "Join the show" }).click();
    const mode = page.getByTestId("fan-mode");
    await mode.getByText("You're watching the stream").waitFor();
    assert.equal(await mode.getAttribute("data-mode"), "hls");
    assert.equal(await page.getByTestId("fan-reason").getAttribute("data-reason"), "seatsFull");
    await page.getByTestId("hls-state").getByText("The stream starts when the show goes live").waitFor();
    assert.deepEqual(await buttons(page), ["Tell me when a seat frees", "Ask for a seat again"]);
  });

  it("the producer sees a full seat meter, the line with Ben's name and snapshot, and the HLS fan counted", async () => {
    const { page } = people.producer;
    await page.getByTestId("seats").getByText("2 / 2").waitFor({ timeout: 30_000 });
    await page.getByTestId("seats-full").waitFor();
    await page.getByTestId("in-line").getByText("1").waitFor();
    await page
      .getByTestId("hls-admissions")
      .getByText(/^[1-9]\d*$/)
      .waitFor();
    const ben = page.getByTestId("fan-row").filter({ hasText: "Ben" });
    await ben.getByRole("img", { name: "Snapshot of Ben" }).waitFor();
    await ben.getByTestId("fan-state").getByText("In line").waitFor();
    await page.getByRole("region", { name: "Backstage", exact: true }).getByText("Ben").waitFor();
    await accessible(people.producer);
    await people.producer.shot("run-view-full-line");
  });

  it("fan Ada gets in line second: she sees place 2, the producer's line lists Ben then Ada", async () => {
    const ada = people["fan-ada"].page;
    await ada.getByRole("button", { name: "Get in line" }).click();
    await ada.getByTestId("fan-state").getByText("You're in line.").waitFor();
    await ada.getByTestId("line-position").getByText("2", { exact: true }).waitFor();
    await ada.getByTestId("live-counts").getByText("2 in line").waitFor({ timeout: 30_000 });
    const { page } = people.producer;
    const rows = page.getByTestId("fan-row");
    await rows.filter({ hasText: "Ada" }).getByLabel("Position 2").waitFor({ timeout: 30_000 });
    await rows.filter({ hasText: "Ben" }).getByLabel("Position 1").waitFor();
    assert.deepEqual(
      (await rows.locator("strong").allInnerTexts()).map((text) => text.trim()),
      ["Ben", "Ada"],
    );
    await page.getByTestId("in-line").getByText("2").waitFor({ timeout: 30_000 });
  });

  it("no fan page shows another fan's data or a producer control", async () => {
    for (const name of ["fan-ada", "fan-cy"]) {
      const text = await people[name].page.locator("body").innerText();
      assert.ok(!text.includes("Ben"), `${name}'s page names another fan`);
      assert.ok(!(await people["fan-ben"].page.locator("body").innerText()).includes("Ada"), "Ben's page names Ada");
      assert.equal(await people[name].page.getByRole("img", { name: /Snapshot of/ }).count(), 0);
      for (const label of await buttons(people[name].page)) assert.ok(FAN_BUTTONS.has(label), `${name} sees the control "${label}"`);
    }
    const benId = await attribute(people.producer.page.getByTestId("fan-row").filter({ hasText: "Ben" }), "data-fan");
    assert.ok(!(await people["fan-ada"].page.content()).includes(benId), "Ada's page carries Ben's presence key");
  });

  it("the producer goes live: archive and broadcast start, the HLS fan's player gets the stream", async () => {
    const { page } = people.producer;
    await page.getByRole("button", { name: "Go live" }).click();
    await page.getByTestId("transition-outcome").getByText("Go live: the show is now live.").waitFor({ timeout: 60_000 });
    await page.getByTestId("event-status").getByText("Live").waitFor();
    await page
      .getByTestId("archive-state")
      .getByText(/^started/)
      .waitFor();
    await page
      .getByTestId("broadcast-state")
      .getByText(/^started/)
      .waitFor();
    const cy = people["fan-cy"];
    await cy.page
      .locator('[data-testid="hls-state"][data-state="playing"], [data-testid="hls-state"][data-state="noMedia"]')
      .waitFor({ timeout: 30_000 });
    await cy.page.getByTestId("hls-video").waitFor();
    await accessible(cy);
    await cy.shot("hls");
    await people["fan-ada"].page.getByText("The show is live").count();
  });

  it("the producer moves Ben backstage (keyboard) and on stage; Ben publishes on stage, everyone sees him", async () => {
    const { page } = people.producer;
    const row = page.getByTestId("fan-row").filter({ hasText: "Ben" });
    await tabTo(page, row.getByRole("button", { name: "Move Ben backstage" }));
    await page.keyboard.press("Enter");
    await row.getByTestId("fan-outcome").getByText("Ben is backstage.").waitFor();
    const ben = people["fan-ben"].page;
    await ben.getByTestId("fan-state").getByText("You're backstage").waitFor();
    await row.getByRole("button", { name: "Put Ben on stage" }).click();
    await row.getByTestId("fan-outcome").getByText("Ben is on stage.").waitFor();
    await row.getByTestId("fan-state").getByText("On stage").waitFor();
    await ben.getByTestId("fan-state").getByText("You're on stage!").waitFor();
    await ben.getByRole("region", { name: "On stage" }).getByText("Ben (you)").waitFor({ timeout: 30_000 });
    await page.getByRole("region", { name: "Stage", exact: true }).getByText("Ben").waitFor();
    await people.host.page.getByRole("region", { name: "Stage", exact: true }).getByText("Ben").waitFor();
    await people["fan-ada"].page.getByRole("region", { name: "On stage" }).getByText("Ben").waitFor();
    await people.producer.shot("run-view-on-stage");
    await people["fan-ben"].shot("on-stage");
    await accessible(people["fan-ben"]);
  });

  it("the producer takes Ben off stage; he is backstage again", async () => {
    const { page } = people.producer;
    const row = page.getByTestId("fan-row").filter({ hasText: "Ben" });
    await row.getByRole("button", { name: "Take Ben off stage" }).click();
    await row.getByTestId("fan-outcome").getByText("Ben is off stage (backstage).").waitFor();
    await people["fan-ben"].page.getByTestId("fan-state").getByText("You're backstage").waitFor();
    await people["fan-ada"].page.getByRole("region", { name: "On stage" }).getByText("Ben").waitFor({ state: "detached" });
  });

  it("the producer sends Ben a message; Ben's page shows it", async () => {
    const { page } = people.producer;
    const form = page.getByRole("form", { name: "Send a message" });
    await form.getByLabel("To").selectOption({ label: "Ben" });
    await form.getByLabel("Message").fill("You were great, stay close");
    await form.getByRole("button", { name: "Send message" }).click();
    await page.getByTestId("message-outcome").getByText("Sent to Ben.").waitFor();
    await people["fan-ben"].page
      .getByTestId("producer-message")
      .getByText("Message from the producer: You were great, stay close")
      .waitFor();
    await accessible(people["fan-ben"]);
    await people["fan-ben"].shot("message");
    // Sent to Ben's connections only: Ada's page (polling the same stand-in) never shows it.
    assert.equal(await people["fan-ada"].page.getByTestId("producer-message").count(), 0);
  });

  it("the producer removes Ada (after a confirm); her page says she was removed, the line no longer has her", async () => {
    const { page } = people.producer;
    const row = page.getByTestId("fan-row").filter({ hasText: "Ada" });
    await row.getByRole("button", { name: "Remove Ada" }).click();
    await row.getByText("Remove Ada from the show?").waitFor();
    await accessible(people.producer);
    await row.getByRole("button", { name: "Yes, remove Ada" }).click();
    const ada = people["fan-ada"];
    await ada.page.getByTestId("show-state").getByText("You were removed from this show").waitFor({ timeout: 60_000 });
    await page.getByTestId("fan-row").filter({ hasText: "Ada" }).waitFor({ state: "detached" });
    await page.getByTestId("fan-row").filter({ hasText: "Ben" }).waitFor();
    assert.deepEqual(await buttons(ada.page), []);
    await accessible(ada);
    await ada.shot("removed");
    // The page learnt it from refreshTokens answering permission-denied: that 403 (and the console
    // line Chromium prints for it) is expected, once per refused call; nothing else is.
    const refused = ada.problems.filter((problem) => /^HTTP 403: POST .*\/refreshTokens$/.test(problem));
    assert.ok(refused.length >= 1, `Ada's page did not ask refreshTokens: ${ada.problems.join("; ")}`);
    let consoleLines = refused.length;
    const rest = ada.problems.filter((problem) => {
      if (refused.includes(problem)) return false;
      if (consoleLines > 0 && problem === "console error: Failed to load resource: the server responded with a status of 403 (Forbidden)") {
        consoleLines -= 1;
        return false;
      }
      return true;
    });
    ada.problems.splice(0, ada.problems.length, ...rest);
  });

  it("the HLS fan asks to be told when a seat frees; a seated fan leaves; Cy is offered the seat and takes it, a newcomer still gets HLS", async () => {
    // Ada's removal gave her seat back: fan Dee takes it, so the show is full again.
    const dee = await join("fan-dee");
    await dee.page.goto(show.fanUrl);
    await dee.page.getByLabel("Your name (the producer sees it if you get in line)").fill("Dee");
    await dee.page.getByRole("button", { name: "Join the show" }).click();
    await dee.page.getByRole("heading", { name: "You're in the show" }).waitFor({ timeout: 60_000 });
    await dee.page.getByTestId("fan-state").getByText("You have a seat").waitFor();
    // Both seats are held before Cy asks (else she is offered one at once): Ben's (he kept it through
    // his time on stage: his page keeps the seat's stage connection open while it publishes on a
    // second one) and Dee's. counts/seated are the seats the gate holds; the producer's meter counts
    // the fans connected.
    await dee.page
      .getByTestId("live-counts")
      .getByText(/Now: 2 with a seat/)
      .waitFor({ timeout: 60_000 });
    await people.producer.page.getByTestId("seats").getByText("2 / 2").waitFor({ timeout: 60_000 });
    const cy = people["fan-cy"];
    const { page } = cy;
    const offer = page.getByTestId("seat-offer");
    assert.equal(await offer.getAttribute("data-state"), "none");
    await tabTo(page, page.getByRole("button", { name: "Tell me when a seat frees" }));
    await page.keyboard.press("Enter");
    await page.getByTestId("offer-outcome").getByText("You're on the list").waitFor();
    await page.locator('[data-testid="seat-offer"][data-state="waiting"]').waitFor();
    await page.getByRole("button", { name: "Stop waiting for a seat" }).waitFor();
    await accessible(cy);
    await cy.shot("waiting-for-seat");
    // Dee leaves the show: her seat frees and is held for Cy, who asked.
    await dee.page.getByRole("button", { name: "Leave the show" }).click();
    await dee.page.getByTestId("show-state").getByText("The show is live").waitFor();
    await page.locator('[data-testid="seat-offer"][data-state="offered"]').waitFor({ timeout: 60_000 });
    await page.getByText("A seat is free for you!").waitFor();
    await page.getByTestId("offer-outcome").getByText("You're on the list").waitFor({ state: "detached" });
    assert.match(await page.getByTestId("offer-countdown").innerText(), /^\d+:\d\d$/);
    await cy.shot("seat-offer");
    // Meanwhile a newcomer finds the held seat nobody else's: she is sent to HLS.
    const eve = await join("fan-eve");
    await eve.page.goto(show.fanUrl);
    await eve.page.getByLabel("Your name (the producer sees it if you get in line)").fill("Eve");
    await eve.page.getByRole("button", { name: "Join the show" }).click();
    await eve.page.getByTestId("fan-mode").getByText("You're watching the stream").waitFor({ timeout: 60_000 });
    assert.equal(await eve.page.getByTestId("fan-reason").getAttribute("data-reason"), "seatsFull");
    await eve.close();
    delete people["fan-eve"];
    // The offer took the focus: Enter takes the seat.
    const take = page.getByRole("button", { name: "Take my seat" });
    assert.ok(
      await take.evaluate((element) => element === element.ownerDocument.activeElement),
      "the offer's button does not have the focus",
    );
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "You're in the show" }).waitFor({ timeout: 60_000 });
    await page.getByTestId("fan-state").getByText("You have a seat").waitFor();
    await page.getByRole("region", { name: "On stage" }).getByText("Host").waitFor();
    assert.equal(await page.getByTestId("hls-video").count(), 0);
    assert.deepEqual(await buttons(page), ["Get in line", "Leave the show"]);
    await accessible(cy);
    await cy.shot("seated-after-offer");
  });

  it("Cy's page refreshes her tokens before they expire, with no error", async () => {
    const cy = people["fan-cy"];
    const { page } = cy;
    // The scheduled refresh asks refreshTokens without a fanId (a standing check sends hers).
    const refreshed = page.waitForResponse(
      (response) =>
        response.request().method() === "POST" &&
        /\/refreshTokens$/.test(response.url()) &&
        response.status() === 200 &&
        !JSON.stringify(response.request().postDataJSON() ?? {}).includes("fanId"),
      { timeout: 90_000 },
    );
    // Her tokens live TOKEN_LIFETIME_MINUTES (360 by default): the refresh is due 5 minutes before
    // expiry. Jumping to 4 minutes before it fires the page's timer (the schedule must not put the
    // refresh off again as the time left shrinks).
    await page.clock.fastForward("05:56:00");
    /** @type {{ result?: RefreshTokensOutput }} a callable's answer on the wire */
    const answer = await (await refreshed).json();
    assert.ok(Number.isFinite(answer.result?.expiresAt), JSON.stringify(answer));
    await page.getByTestId("fan-state").getByText("You have a seat").waitFor();
    assert.equal(await page.getByTestId("token-renewal").count(), 0);
  });

  it("the producer mutes everyone but the stage and reads the audit log: every action is there", async () => {
    const { page } = people.producer;
    await page.getByRole("button", { name: "Mute all but the stage" }).click();
    await page
      .getByTestId("mute-outcome")
      .getByText(/^Muted everyone but the stage/)
      .waitFor();
    await page.getByRole("button", { name: "Show the audit log" }).click();
    const table = page.getByTestId("audit-table");
    await table.waitFor();
    // A page at a time, oldest first: the producer pages on to the newest.
    const older = page.getByRole("button", { name: /^Older entries/ });
    for (let pages = 0; pages < 10 && (await older.count()) > 0; pages += 1) {
      const rows = await table.locator("tbody tr").count();
      await older.click();
      await table.locator("tbody tr").nth(rows).waitFor();
    }
    const text = await table.innerText();
    for (const action of ["bringBackstage", "bringOnStage", "takeOffStage", "signal", "removeParticipant", "muteAll"]) {
      assert.ok(text.includes(action), `the audit log has no ${action}:\n${text}`);
    }
    await accessible(people.producer);
    await people.producer.shot("run-view-controls");
  });

  it("the producer ends the show; fans and host see it ended, with the end image", async () => {
    const { page } = people.producer;
    await page.getByRole("button", { name: "End show" }).click();
    await page.getByRole("button", { name: "Yes, end it" }).click();
    await page.getByTestId("transition-outcome").getByText("End show: the show is now closed.").waitFor({ timeout: 60_000 });
    await page.getByTestId("event-status").getByText("Closed").waitFor();
    for (const name of ["fan-ada", "fan-ben", "fan-cy"]) {
      const fan = people[name].page;
      await fan.getByTestId("show-state").getByText("This show has ended").waitFor({ timeout: 30_000 });
      await fan.getByRole("img", { name: "End image of Browser Night" }).waitFor();
    }
    await people.host.page.getByTestId("show-state").getByText("This show has ended.").waitFor();
    await accessible(people["fan-ada"]);
    await people["fan-ada"].shot("ended");
  });

  it("afterwards the producer sees the attendance as a table and a chart", async () => {
    const { page } = people.producer;
    const table = page.getByTestId("attendance-table");
    await table.waitFor();
    const expected = ["Ben", "Host", DEMO_SUPER_ADMIN.displayName];
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const text = await table.innerText();
      if (expected.every((name) => text.includes(name))) break;
      await page.getByRole("button", { name: "Refresh attendance" }).click();
      await page.waitForTimeout(1000);
    }
    // Once the leave callbacks are in, nobody is still connected (the page asks again by itself).
    await table.getByText("still connected").first().waitFor({ state: "detached", timeout: 40_000 });
    const text = await table.innerText();
    for (const name of ["Ben", "Host"]) assert.ok(text.includes(name), `the attendance table has no row for ${name}:\n${text}`);
    const ben = page.getByRole("row", { name: /Ben/ });
    assert.match(await ben.innerText(), /Fan/);
    await page.getByTestId("attendance-chart").waitFor();
    assert.ok((await attribute(page.locator(".series-all"), "d")).length > 10, "the chart draws no line");
    await accessible(people.producer);
    await people.producer.shot("attendance");
  });
});
