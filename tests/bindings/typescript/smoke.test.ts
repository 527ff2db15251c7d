// Smoke test of the TypeScript client that openapi-generator (generator `typescript-fetch`) makes
// from the published dist/thoughtspot-v1.yaml, compiled with `tsc --strict` and installed as the
// package `thoughtspot-v1`, against a running `tspot serve` with the demo. tests/bindings/run.sh
// generates, compiles, installs and starts everything, then runs this file with `node --test`.
//
// Nothing here works around the generated code. Node's fetch keeps no cookies, so the JSESSIONID
// from the login answer's Set-Cookie goes into the generated Configuration's `headers`; typescript-fetch
// does not send cookie-located API keys itself. `X-Requested-By` is the required parameter
// `xRequestedBy` of every POST.

import { test } from "node:test";
import { strict as assert } from "node:assert";

import {
  Configuration,
  DataApi,
  ErrorResponseFromJSON,
  PrincipalType,
  ResponseError,
  SessionApi,
  UserApi,
} from "thoughtspot-v1";

const basePath = `${required("TSPOT_URL")}/callosum/v1`;
const password = required("TSPOT_ADMIN_PASSWORD");
const WORKSHEET = "6a0d3c1e-5b7f-4c2a-9e41-000000000201"; // the demo's "Retail Sales"
const LIVEBOARD = "6a0d3c1e-5b7f-4c2a-9e41-000000000401"; // the demo's "Sales Overview"
const xRequestedBy = "ThoughtSpot";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (tests/bindings/run.sh sets it)`);
  return value;
}

/** Signs in and returns a Configuration that sends the session cookie on every call. */
async function signIn(): Promise<Configuration> {
  const anonymous = new SessionApi(new Configuration({ basePath }));
  const login = await anonymous.sessionLoginRaw({ xRequestedBy, username: "tsadmin", password });
  assert.equal(login.raw.status, 204);
  const session = login.raw.headers
    .getSetCookie()
    .map((line) => line.split(";")[0].trim())
    .find((pair) => pair.startsWith("JSESSIONID="));
  assert.ok(session, "the login answer sets JSESSIONID");
  return new Configuration({ basePath, headers: { Cookie: session } });
}

test("a call without a session is 401 with the ErrorResponse body", async () => {
  const users = new UserApi(new Configuration({ basePath }));
  const error: unknown = await users.userList().then(
    () => assert.fail("user/list without a session succeeded"),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof ResponseError);
  assert.equal(error.response.status, 401);
  const body = ErrorResponseFromJSON(await error.response.json());
  assert.equal(body.code, 10003);
});

test("sign in, then users, search, Liveboard data, PDF and sign out", async (t) => {
  const configuration = await signIn();

  await t.test("user/list", async () => {
    const principals = await new UserApi(configuration).userList();
    const users = principals
      .filter((p) => p.principalTypeEnum === PrincipalType.LocalUser)
      .map((p) => p.name);
    assert.ok(users.includes("tsadmin"), `tsadmin among ${users.join(", ")}`);
  });

  await t.test("searchdata [Sales] [Region] on the demo worksheet", async () => {
    const result = await new DataApi(configuration).searchData({
      xRequestedBy,
      queryString: "[Sales] [Region]",
      dataSourceGuid: WORKSHEET,
    });
    assert.equal(result.rowCount, 4);
    assert.equal(result.data.length, 4);
    assert.equal(result.columnNames.length, 2);
    for (const row of result.data) assert.equal(row.length, 2);
  });

  await t.test("pinboarddata of the demo Liveboard", async () => {
    const data = await new DataApi(configuration).pinboardData({ xRequestedBy, id: LIVEBOARD });
    const visualizations = Object.values(data);
    assert.ok(visualizations.length > 0, "the Liveboard has visualizations");
    for (const viz of visualizations) {
      assert.equal(viz.rowCount, viz.data.length);
      for (const row of viz.data) assert.equal(row.length, viz.columnNames.length);
    }
    assert.ok(visualizations.some((viz) => viz.rowCount > 0));
  });

  await t.test("export/pinboard/pdf of the demo Liveboard", async () => {
    const pdf = await new DataApi(configuration).exportPinboardPdf({
      xRequestedBy,
      id: LIVEBOARD,
      footerText: "bindings smoke test",
    });
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 5)), "%PDF-");
    assert.ok(bytes.length > 1000);
  });

  await t.test("session/logout ends the session", async () => {
    await new SessionApi(configuration).sessionLogout({ xRequestedBy });
    await assert.rejects(new UserApi(configuration).userList(), (error: unknown) => {
      assert.ok(error instanceof ResponseError);
      assert.equal(error.response.status, 401);
      return true;
    });
  });
});
