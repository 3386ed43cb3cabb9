import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filterGroups, hasGroupOverage, resolveGroups } from "./groups";

// A loopback HTTP server answering like Microsoft Graph's transitiveMemberOf (documented shape, two pages).
let server: Server;
let graphUrl = "";
const seenAuth: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seenAuth.push(String(req.headers.authorization));
    if (req.headers.authorization !== "Bearer good-token") {
      res
        .writeHead(401, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { code: "InvalidAuthenticationToken" } }));
      return;
    }
    const page2 = req.url?.includes("skiptoken=2");
    const body = page2
      ? { value: [{ "@odata.type": "#microsoft.graph.group", id: "b0000000-0000-0000-0000-000000000002" }] }
      : {
          value: [{ "@odata.type": "#microsoft.graph.group", id: "a0000000-0000-0000-0000-000000000001" }],
          "@odata.nextLink": `${graphUrl}/v1.0/me/transitiveMemberOf/microsoft.graph.group?$skiptoken=2`,
        };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  graphUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("groups", () => {
  it("keeps only prefixed groups, deduplicated and sorted", () => {
    expect(filterGroups(["berth-b", "other", "berth-a", "berth-b", ""], "berth-")).toEqual(["berth-a", "berth-b"]);
    expect(filterGroups(["x", "y"], "")).toEqual(["x", "y"]);
  });

  it("detects Entra ID group overage from _claim_names or hasgroups", () => {
    expect(hasGroupOverage({ _claim_names: { groups: "src1" }, _claim_sources: { src1: {} } })).toBe(true);
    expect(hasGroupOverage({ hasgroups: true })).toBe(true);
    expect(hasGroupOverage({ groups: [] })).toBe(false);
  });

  it("reads groups from the configured claim", async () => {
    const r = await resolveGroups({ profile: { roles: ["berth-a", "nope"] }, claim: "roles", prefix: "berth-" });
    expect(r).toEqual({ ok: true, groups: ["berth-a"], source: "token" });
  });

  it("refuses a token without the groups claim", async () => {
    const r = await resolveGroups({ profile: { sub: "x" }, claim: "groups", prefix: "" });
    expect(r).toMatchObject({ ok: false, code: "MissingGroups" });
  });

  it("fetches every page from Microsoft Graph on overage", async () => {
    const r = await resolveGroups({
      profile: { _claim_names: { groups: "src1" } },
      claim: "groups",
      prefix: "",
      entra: { graphUrl, accessToken: "good-token" },
    });
    expect(r).toEqual({
      ok: true,
      source: "graph",
      groups: ["a0000000-0000-0000-0000-000000000001", "b0000000-0000-0000-0000-000000000002"],
    });
  });

  it("reports a Graph failure instead of signing in without groups", async () => {
    const r = await resolveGroups({
      profile: { hasgroups: true },
      claim: "groups",
      prefix: "",
      entra: { graphUrl, accessToken: "expired" },
    });
    expect(r).toMatchObject({ ok: false, code: "GroupOverageFailed" });
    expect(seenAuth).toContain("Bearer expired");
  });
});
