// The Swagger portal at /external/swagger, tried as a person would: in headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core). The page says at the top how to sign in; there is no
// Authorize dialog to get wrong; "Try it out" on session/login with the admin's user name and
// password, then "Try it out" on user/list (a GET), whose response body must show tsadmin, and on
// searchdata (a POST: X-Requested-By is sent for the user), whose curl snippet must carry
// X-Requested-By. The login cookie is the browser's own: nothing is injected. Saves screenshots, also
// when the test fails: target/browser/swagger.png (the window, on the searchdata call and its
// response) and target/browser/swagger-full.png (the whole page). tests/browser/run.sh starts the
// server and runs this file with `node --test`; it needs TSPOT_URL and TSPOT_ADMIN_PASSWORD.

"use strict";

const { test } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { chromium } = require("playwright-core");

const url = process.env.TSPOT_URL;
const password = process.env.TSPOT_ADMIN_PASSWORD;
const screenshots = path.resolve(__dirname, "../../target/browser");

/** Expands an operation, presses "Try it out" and returns its block. */
async function tryItOut(page, tag, operationId) {
  const operation = page.locator(`#operations-${tag}-${operationId}`);
  await operation.locator(".opblock-summary").click();
  await operation.locator("button.try-out__btn").click();
  return operation;
}

/** Presses "Execute" and returns the status and body text the portal shows for the live response. */
async function execute(operation) {
  await operation.locator("button.execute").click();
  const response = operation.locator(".live-responses-table tbody .response").first();
  await response.waitFor();
  const status = (await response.locator(".response-col_status").innerText()).trim();
  const body = response.locator(".response-col_description .highlight-code");
  const text = (await body.count()) > 0 ? await body.innerText() : "";
  return { status, text };
}

const WORKSHEET = "6a0d3c1e-5b7f-4c2a-9e41-000000000201"; // the demo's "Retail Sales"

test("Swagger portal: sign in with Try it out, then a GET and a POST work", { timeout: 120_000 }, async () => {
  assert.ok(url && password, "TSPOT_URL and TSPOT_ADMIN_PASSWORD must be set (tests/browser/run.sh sets them)");
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "tspot-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1280, height: 1200 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  try {
    await page.goto(`${url}/external/swagger/`);
    await page.locator(".information-container .title").waitFor();
    assert.match(await page.locator(".information-container .title").innerText(), /ThoughtSpot REST API v1/);

    // The top of the page says how to sign in.
    const intro = await page.locator(".information-container .description").innerText();
    assert.match(intro, /Trying it in the browser/);
    assert.match(intro, /session\/login.*Try it out/s);

    // No Authorize dialog (nothing in it would reach the server): no button, no padlocks.
    assert.equal(await page.locator("button.authorize").count(), 0, "no Authorize button");
    assert.equal(await page.locator(".authorization__btn").count(), 0, "no padlocks");

    // session/login: fill in the form; X-Requested-By is not a field, the portal sends it.
    const login = await tryItOut(page, "session", "sessionLogin");
    assert.equal(await login.locator('input[placeholder="X-Requested-By"]').count(), 0);
    await login.locator('input[placeholder="username"]').fill("tsadmin");
    await login.locator('input[placeholder="password"]').fill(password);
    const signedIn = await execute(login);
    assert.equal(signedIn.status, "204", `session/login answered ${signedIn.status}: ${signedIn.text}`);
    const cookies = await context.cookies(url);
    assert.ok(cookies.some((c) => c.name === "JSESSIONID"), "the browser keeps the JSESSIONID cookie");

    // user/list: a GET with no parameters; the browser sends the session cookie by itself.
    const users = await tryItOut(page, "user", "userList");
    const listed = await execute(users);
    assert.equal(listed.status, "200", `user/list answered ${listed.status}: ${listed.text}`);
    assert.match(listed.text, /"name": "tsadmin"/);

    // searchdata: a POST, which needs X-Requested-By; its curl snippet carries the header.
    const search = await tryItOut(page, "data", "searchData");
    await search.locator('input[placeholder="query_string"]').fill("[Sales] [Region]");
    await search.locator('input[placeholder="data_source_guid"]').fill(WORKSHEET);
    const searched = await execute(search);
    assert.equal(searched.status, "200", `searchdata answered ${searched.status}: ${searched.text}`);
    assert.match(searched.text, /"rowCount": 4/);
    const curl = await search.locator(".curl-command").innerText();
    assert.match(curl, /X-Requested-By: ThoughtSpot/, `the curl snippet: ${curl}`);
    // Frame the executed call: the operation's header, the curl command, the live response.
    await search.locator(".opblock-summary").evaluate((e) => e.scrollIntoView({ block: "start" }));
    assert.deepEqual(pageErrors, [], "no script errors on the page");
  } finally {
    fs.mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: path.join(screenshots, "swagger.png") }).catch(() => {});
    await page
      .screenshot({ path: path.join(screenshots, "swagger-full.png"), fullPage: true })
      .catch(() => {});
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
});
