// Every operation through the TypeScript client that openapi-generator (generator `typescript-fetch`)
// makes from the published dist/thoughtspot-v1.yaml, compiled with `tsc --strict` and installed as the
// package `thoughtspot-v1`, against a running `tspot serve` with the demo. tests/bindings/run.sh
// generates, compiles, installs and starts everything, then runs this file with `node --test`.
//
// Nothing here works around the generated code. The way this generator's users authenticate:
// `X-Requested-By` is the API key (`apiKey: "ThoughtSpot"` in the Configuration, sent for the
// `requestedBy` scheme); Node's fetch keeps no cookies and typescript-fetch sends no cookie API keys,
// so after sign-in the JSESSIONID value is the Configuration's `accessToken`, sent for the `bearer`
// scheme as `Authorization: Bearer <JSESSIONID>`.

import { test } from "node:test";
import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";

import {
  Configuration,
  DataApi,
  ErrorResponseFromJSON,
  GroupApi,
  MetadataApi,
  MetadataType,
  Privilege,
  ResponseError,
  SessionApi,
  TmlApi,
  TmlStatusCode,
  UserApi,
} from "thoughtspot-v1";

const basePath = `${required("TSPOT_URL")}/callosum/v1`;
const password = required("TSPOT_ADMIN_PASSWORD");
const secret = required("TSPOT_TRUSTED_AUTH_SECRET");
const WORKSHEET = "6a0d3c1e-5b7f-4c2a-9e41-000000000201"; // the demo's "Retail Sales"
const LIVEBOARD = "6a0d3c1e-5b7f-4c2a-9e41-000000000401"; // the demo's "Sales Overview"
const apiKey = "ThoughtSpot"; // X-Requested-By

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (tests/bindings/run.sh sets it)`);
  return value;
}

function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** The JSESSIONID value a sign-in answer sets. */
function sessionId(headers: Headers): string {
  const pair = headers
    .getSetCookie()
    .map((line) => line.split(";")[0].trim())
    .find((p) => p.startsWith("JSESSIONID="));
  assert.ok(pair, "the sign-in answer sets JSESSIONID");
  return pair.slice("JSESSIONID=".length);
}

/** Signs in and returns a Configuration that carries the session on every call. */
async function signIn(): Promise<Configuration> {
  const anonymous = new SessionApi(new Configuration({ basePath, apiKey }));
  const login = await anonymous.sessionLoginRaw({ username: "tsadmin", password });
  assert.equal(login.raw.status, 204);
  return new Configuration({ basePath, apiKey, accessToken: sessionId(login.raw.headers) });
}

function answerTml(guid: string, name: string): string {
  const document =
    `guid: ${guid}\nanswer:\n  name: ${name}\n  tables:\n  - id: Retail Sales\n    name: Retail Sales\n` +
    `  search_query: "[Sales] [Region]"\n`;
  return JSON.stringify([document]);
}

test("a call without a session is 401 with the ErrorResponse body", async () => {
  const users = new UserApi(new Configuration({ basePath, apiKey }));
  const error: unknown = await users.userList().then(
    () => assert.fail("user/list without a session succeeded"),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof ResponseError);
  assert.equal(error.response.status, 401);
  const body = ErrorResponseFromJSON(await error.response.json());
  assert.equal(body.code, 10003);
});

test("every operation, signed in", async (t) => {
  const configuration = await signIn();
  const group = unique("ts-group");
  const user = unique("ts-user");
  const guid = randomUUID();
  const answerName = unique("ts answer");

  await t.test("user/sync uploads one JSON file", async () => {
    const principals = new Blob(
      [
        JSON.stringify([
          { name: group, principalTypeEnum: "LOCAL_GROUP" },
          { name: user, principalTypeEnum: "LOCAL_USER", groupNames: [group] },
        ]),
      ],
      { type: "application/json" },
    );
    const result = await new UserApi(configuration).userSync({
      principals,
      applyChanges: true,
      removeDeleted: false,
      password: "Welc0me-2024!",
    });
    assert.deepEqual(result.usersAdded, [user]);
    assert.deepEqual(result.groupsAdded, [group]);
  });

  await t.test("user/list", async () => {
    const principals = await new UserApi(configuration).userList();
    const byName = new Map(principals.map((p) => [p.name, p]));
    assert.equal(String(byName.get("tsadmin")?.principalTypeEnum), "LOCAL_USER");
    assert.ok(byName.get(user)?.groupNames.includes(group));
  });

  await t.test("group/addprivilege and group/removeprivilege", async () => {
    const groups = new GroupApi(configuration);
    const groupNames = JSON.stringify([group]);
    const granted = await groups.groupAddPrivilege({ privilege: Privilege.Datadownloading, groupNames });
    assert.ok(granted.privileges.includes("DATADOWNLOADING"));
    // 200 with the group (tspot) or 204 without a body (the product documentation): both declared.
    const revoked = await groups.groupRemovePrivilege({ privilege: Privilege.Datadownloading, groupNames });
    assert.ok(!(revoked?.privileges ?? []).includes("DATADOWNLOADING"));
  });

  await t.test("user/updatepassword", async () => {
    const answer = await new UserApi(configuration).userUpdatePasswordRaw({
      name: user,
      currentpassword: password,
      password: "N3w-Passw0rd!",
    });
    assert.equal(answer.raw.status, 204);
  });

  await t.test("metadata/tml/import, metadata/tml/export, user/transfer/ownership", async () => {
    const tml = new TmlApi(configuration);
    const imported = await tml.metadataTmlImport({
      importObjects: answerTml(guid, answerName),
      importPolicy: "ALL_OR_NONE",
    });
    assert.equal(imported.object.length, 1);
    assert.equal(imported.object[0].response.status.statusCode, TmlStatusCode.Ok);
    assert.equal(imported.object[0].response.header?.idGuid, guid);
    const exported = await tml.metadataTmlExport({ exportIds: JSON.stringify([guid]), formattype: "JSON" });
    assert.equal(exported.object[0].info.id, guid);
    assert.match(exported.object[0].edoc ?? "", /"search_query"/);
    const transfer = await new UserApi(configuration).userTransferOwnershipRaw({
      fromUserName: "tsadmin",
      toUserName: user,
      objectsID: JSON.stringify([guid]),
    });
    assert.equal(transfer.raw.status, 204);
  });

  await t.test("metadata/listobjectheaders and metadata/listvizheaders", async () => {
    const metadata = new MetadataApi(configuration);
    const tables = await metadata.metadataListObjectHeaders({
      type: MetadataType.LogicalTable,
      subtypes: '["WORKSHEET"]',
    });
    assert.ok(tables.some((h) => h.id === WORKSHEET));
    const vizzes = await metadata.metadataListVizHeaders({ id: LIVEBOARD });
    assert.ok(vizzes.length > 0 && vizzes.every((v) => v.owner === LIVEBOARD));
  });

  await t.test("searchdata [Sales] [Region] on the demo worksheet", async () => {
    const result = await new DataApi(configuration).searchData({
      queryString: "[Sales] [Region]",
      dataSourceGuid: WORKSHEET,
    });
    assert.equal(result.rowCount, 4);
    for (const row of result.data) assert.equal(row.length, 2);
  });

  await t.test("pinboarddata with a runtime filter", async () => {
    const data = new DataApi(configuration);
    const all = await data.pinboardData({ id: LIVEBOARD });
    const west = await data.pinboardData({ id: LIVEBOARD, col1: "Region", op1: "EQ", val1: ["west"] });
    assert.deepEqual(Object.keys(west).sort(), Object.keys(all).sort());
    for (const viz of Object.values(west)) assert.equal(viz.rowCount, viz.data.length);
    assert.notDeepEqual(west, all);
  });

  await t.test("export/pinboard/pdf", async () => {
    const pdf = await new DataApi(configuration).exportPinboardPdf({
      id: LIVEBOARD,
      footerText: "bindings: typescript-fetch",
    });
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 5)), "%PDF-");
  });

  await t.test("session/auth/token and session/login/token", async () => {
    const sessions = new SessionApi(new Configuration({ basePath, apiKey }));
    const token = await sessions.sessionAuthToken({ secretKey: secret, username: "tsadmin", accessLevel: "FULL" });
    const login = await sessions.sessionLoginTokenRaw({
      username: "tsadmin",
      authToken: token,
      noUrlRedirection: true,
    });
    assert.equal(login.raw.status, 204);
    const trusted = new Configuration({ basePath, apiKey, accessToken: sessionId(login.raw.headers) });
    assert.ok((await new UserApi(trusted).userList()).length > 0);
  });

  await t.test("session/logout ends the session", async () => {
    await new SessionApi(configuration).sessionLogout();
    await assert.rejects(new UserApi(configuration).userList(), (error: unknown) => {
      assert.ok(error instanceof ResponseError);
      assert.equal(error.response.status, 401);
      return true;
    });
  });
});
