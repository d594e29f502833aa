// @ts-check
/**
 * People in the browser suite: each one is a Chromium context of its own (own storage, so own Firebase
 * sign-in), whose page's console errors, page errors, failed requests and HTTP errors are collected
 * (the suite fails on any), with screenshots saved as test artifacts and an axe-core check.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { ensureChromium } = require("./chromium.cjs");

const root = path.resolve(__dirname, "..", "..");
const ARTIFACTS = path.join(root, "test-artifacts", "browser");

async function launchBrowser() {
  const executablePath = ensureChromium();
  const { chromium } = require("playwright-core");
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  return chromium.launch({
    executablePath,
    headless: true,
    args: [...(root ? ["--no-sandbox"] : []), "--autoplay-policy=no-user-gesture-required", "--disable-dev-shm-usage"],
  });
}

function resetArtifacts() {
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}

let shotNumber = 0;

/**
 * A person at a browser: their own context and page, and the problems the page reported.
 * @param {import("playwright-core").Browser} browser
 * @param {string} name
 */
async function person(browser, name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  /** @type {string[]} */
  const problems = [];
  let closing = false;
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    const failure = request.failure()?.errorText ?? "failed";
    // A request the page itself dropped (navigation, a player torn down, the context closing).
    if (closing || failure === "net::ERR_ABORTED") return;
    problems.push(`request failed: ${request.method()} ${request.url()} (${failure})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return {
    name,
    context,
    page,
    problems,
    /** @param {string} label */
    async shot(label) {
      shotNumber += 1;
      const file = path.join(ARTIFACTS, `${String(shotNumber).padStart(2, "0")}-${name}-${label}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      closing = true;
      await context.close();
    },
  };
}

/** axe-core's violations of serious or critical impact on the page as it is now. */
/** @param {import("playwright-core").Page} page */
async function accessibilityProblems(page) {
  const source = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  await page.addScriptTag({ content: source });
  const violations = await page.evaluate(async () => {
    // Runs in the page, where the script tag above defined `axe` (the suite's types know no DOM).
    /** @typedef {{ run: (context: unknown, options: import("axe-core").RunOptions) => Promise<import("axe-core").AxeResults> }} Axe */
    const { axe, document } = /** @type {{ axe: Axe, document: unknown }} */ (/** @type {unknown} */ (globalThis));
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
    }));
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.join(", ")}`);
}

/** Presses Tab until `locator` has the focus: the control is reachable with the keyboard alone. */
/**
 * @param {import("playwright-core").Page} page
 * @param {import("playwright-core").Locator} locator
 */
async function tabTo(page, locator, maxTabs = 60) {
  for (let i = 0; i < maxTabs; i += 1) {
    if (await locator.evaluate((element) => element === element.ownerDocument.activeElement).catch(() => false)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`not reachable with Tab within ${maxTabs} presses: ${locator.toString()}`);
}

module.exports = { launchBrowser, person, accessibilityProblems, tabTo, resetArtifacts, ARTIFACTS };
