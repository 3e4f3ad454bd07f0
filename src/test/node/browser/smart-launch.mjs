// The demo SMART app's whole flow in a real browser: Debian's Chromium, driven by playwright-core, runs the
// app (SMART's fhirclient) from 127.0.0.1 against the server on localhost, another origin. Every page is
// checked by axe-core for WCAG 2.1 AA, watched for console errors and failed requests, and saved as a
// screenshot. Prints one JSON line; exits 1 on any problem.
//   node smart-launch.mjs <port> <screenshot folder> [chromium]
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { mkdirSync, readFileSync } from "node:fs";

const [port, out, executable = "/usr/bin/chromium"] = process.argv.slice(2);
const app = `http://127.0.0.1:${port}/demo-app/`;
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const problems = [];
const steps = [];
let shot = 0;
let expectedFailures = [];
mkdirSync(out, { recursive: true });

function problem(text) {
  problems.push(text);
}

function check(condition, text) {
  if (!condition) problem(text);
}

function watch(page) {
  page.on("console", (message) => {
    const where = message.location().url || "";
    if (message.type() === "error" && !expectedFailures.some((u) => where.includes(u) || message.text().includes(u))) {
      problem(`console error on ${page.url()}: ${message.text()}`);
    }
  });
  page.on("pageerror", (error) => problem(`script error on ${page.url()}: ${error.message}`));
  page.on("requestfailed", (request) => {
    // a navigation the browser left for the next one is not a failure
    if (request.failure()?.errorText !== "net::ERR_ABORTED") problem(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && !expectedFailures.some((u) => response.url().includes(u))) {
      problem(`HTTP ${response.status()} for ${response.request().method()} ${response.url()}`);
    }
  });
}

/** Screenshot, and axe-core's WCAG 2.1 A and AA rules on the page as it is. */
async function page(p, name) {
  await p.waitForLoadState("load");
  shot += 1;
  await p.screenshot({ path: `${out}/${String(shot).padStart(2, "0")}-${name}.png`, fullPage: true });
  await p.evaluate(axeSource);
  const result = await p.evaluate(() => globalThis.axe.run(document,
    { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  for (const v of result.violations) {
    problem(`accessibility (${name}): ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`);
  }
  steps.push(name);
}

async function step(name, body) {
  try {
    await body();
  } catch (e) {
    problem(`${name}: ${e.message.split("\n")[0]}`);
    throw e;
  }
}

async function openApp(p) {
  await p.goto(app);
  await page(p, "app-start");
  await p.getByRole("button", { name: "Open a record" }).click();
}

const browser = await chromium.launch({
  executablePath: executable,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"]
});
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 };
try {
  const context = await browser.newContext(phone);
  const p = await context.newPage();
  watch(p);

  await step("first launch", async () => {
    await openApp(p);
    await p.waitForURL(/\/login$/);
    await page(p, "sign-in");
    check((await p.textContent("main")).includes("Demo Immunization App"), "the sign-in page names the app");
    await p.getByLabel("Username").fill("demo-parent");
    await p.getByLabel("Password").fill("demo");
    await p.getByRole("button", { name: "Sign in" }).click();
    await p.waitForURL(/\/launch\/patient/);
    await page(p, "patient-picker");
    check(await p.locator("input[name=patient]:checked").count() === 0, "the picker pre-selects nobody");
    await p.getByLabel(/Ava Chen/).check();
    await p.getByRole("button", { name: "Continue" }).click();
    await p.waitForURL(/\/oauth2\/consent/);
    await page(p, "consent");
    const consent = await p.textContent("main");
    check(consent.includes("Ava Chen's immunization record"), "the consent page says whose record");
    check(consent.includes("Vaccinations") || consent.includes("whole immunization record"), "the consent page says what, in words");
    check(consent.includes("30 days"), "the consent page says for how long offline access lasts");
    await p.getByRole("button", { name: "Allow" }).click();
    await p.waitForURL(/record\.html/);
    await p.getByText("Record loaded.").waitFor({ timeout: 30000 });
    await page(p, "record");
    check(await p.locator("#doses tbody tr").count() > 0, "the app shows the doses");
    check(await p.locator("#registries li").count() > 0, "the app shows each registry's outcome");
    check(await p.locator("#due tbody tr").count() > 0, "the app shows the forecast");
    check((await p.textContent("h1")).includes("Ava"), "the record is Ava's");
  });

  await step("refresh, and calls after it", async () => {
    const refreshed = await p.evaluate(async () => {
      const client = globalThis.demoApp.client;
      const before = client.state.tokenResponse.access_token;
      await client.refresh();
      const patient = await client.request(`Patient/${client.getPatientId()}`);
      const doses = await client.request(`Immunization?patient=${client.getPatientId()}`);
      const forecast = await client.request(`ImmunizationRecommendation?patient=${client.getPatientId()}`);
      return { changed: before !== client.state.tokenResponse.access_token, patient: patient.resourceType,
        doses: doses.resourceType, forecast: forecast.resourceType };
    });
    check(refreshed.changed, "fhirclient's refresh gave a new access token");
    check(refreshed.patient === "Patient" && refreshed.doses === "Bundle" && refreshed.forecast === "Bundle",
      `calls after the refresh answered: ${JSON.stringify(refreshed)}`);
    steps.push("refresh");
  });

  await step("someone else's record is refused", async () => {
    expectedFailures = ["patient.family=Johnson"];
    const refused = await p.evaluate(async () => {
      try {
        await globalThis.demoApp.client.request("Immunization?patient.family=Johnson&patient.given=Marcus&patient.birthdate=1980-07-02");
        return { status: 200 };
      } catch (e) {
        return { status: e.statusCode, outcome: e.message.includes("\"resourceType\": \"OperationOutcome\"") };
      }
    });
    expectedFailures = [];
    check(refused.status === 403 && refused.outcome, `a search for someone else: ${JSON.stringify(refused)}`);
    steps.push("refused");
  });

  await step("second launch, consent on record", async () => {
    await openApp(p);
    await p.waitForURL(/\/launch\/patient/);
    await p.getByLabel(/Ava Chen/).check();
    await p.getByRole("button", { name: "Continue" }).click();
    await p.waitForURL(/record\.html/);
    await p.getByText("Record loaded.").waitFor({ timeout: 30000 });
    steps.push("second launch");
  });

  await step("cancel on the picker", async () => {
    await openApp(p);
    await p.waitForURL(/\/launch\/patient/);
    await p.getByRole("link", { name: "Cancel" }).click();
    await p.waitForURL(/record\.html\?error=access_denied/);
    await p.getByText(/access_denied/).waitFor();
    await page(p, "app-declined");
  });

  await step("cancel on the sign-in page", async () => {
    const fresh = await browser.newContext(phone);
    const q = await fresh.newPage();
    watch(q);
    await q.goto(app);
    await q.getByRole("button", { name: "Open a record" }).click();
    await q.waitForURL(/\/login$/);
    await q.getByRole("link", { name: "Cancel" }).click();
    await q.waitForURL(/record\.html\?error=access_denied/);
    await q.getByText(/access_denied/).waitFor();
    await fresh.close();
    steps.push("cancel at sign-in");
  });

  await step("a wrong password", async () => {
    const fresh = await browser.newContext(phone);
    const q = await fresh.newPage();
    watch(q);
    await q.goto(app);
    await q.getByRole("button", { name: "Open a record" }).click();
    await q.waitForURL(/\/login$/);
    await q.getByLabel("Username").fill("demo-parent");
    await q.getByLabel("Password").fill("not-the-password");
    await q.getByRole("button", { name: "Sign in" }).click();
    await q.waitForURL(/\/login\?error/);
    await page(q, "sign-in-error");
    await fresh.close();
  });

  await step("an error page", async () => {
    const fresh = await browser.newContext(phone);
    const q = await fresh.newPage();
    watch(q);
    expectedFailures = ["/oauth2/authorize"];
    await q.goto(`http://localhost:${port}/oauth2/authorize?response_type=code&client_id=demo-consumer-app`
      + "&redirect_uri=https://elsewhere.example/&scope=launch/patient&state=1");
    await page(q, "error-unregistered-address");
    check((await q.textContent("main")).includes("not registered"), "the error page says the address is not registered");
    expectedFailures = [];
    await fresh.close();
  });
} catch (e) {
  // already a problem
} finally {
  await browser.close();
}
console.log(JSON.stringify({ steps, problems }));
process.exit(problems.length === 0 ? 0 : 1);
