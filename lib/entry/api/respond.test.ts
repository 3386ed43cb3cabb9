import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { PolicyError } from "@/lib/auth/policy";
import {
  AppError,
  describeError,
  ERROR_CODES,
  ERRORS,
  FieldError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from "@/lib/errors";
import { ForgeRequestError, ForgeUnavailableError, MergeConflictError } from "@/lib/gitops/errors";
import { IllegalTransitionError } from "@/lib/requests/state";
import { readJson } from "./body";
import { errorResponse } from "./respond";
import { listQuery, submitBody } from "./schemas";

const logger = () => ({ error: vi.fn(), warn: vi.fn() });

async function mapped(err: unknown, log = logger()) {
  const res = errorResponse(err, log);
  return { status: res.status, body: await res.json(), headers: res.headers, log };
}

describe("errorResponse", () => {
  it.each([
    [
      "ValidationError",
      new ValidationError({ tenantName: "Use lowercase letters.", "param.size": "Choose one of: S, M, L." }),
      400,
      "validation_failed",
      { tenantName: "Use lowercase letters.", "param.size": "Choose one of: S, M, L." },
    ],
    [
      "FieldError",
      new FieldError("tenant", "No active tenant."),
      400,
      "validation_failed",
      { tenant: "No active tenant." },
    ],
    ["ZodError", z.object({ a: z.string() }).safeParse({}).error, 400, "validation_failed", { a: expect.any(String) }],
    ["AppError", new AppError("unauthenticated", "Sign in."), 401, "unauthenticated", undefined],
    ["ForbiddenError", new ForbiddenError("Only platform admins can approve requests."), 403, "forbidden", undefined],
    ["NotFoundError", new NotFoundError("Request x does not exist."), 404, "not_found", undefined],
    ["IllegalTransitionError", new IllegalTransitionError("merged", "approved", "create"), 409, "conflict", undefined],
  ])("%s → %i %s", async (_name, err, status, code, fields) => {
    const r = await mapped(err);
    expect(r.status).toBe(status);
    expect(r.body).toEqual({ error: { code, message: expect.any(String), ...(fields ? { fields } : {}) } });
    expect(r.headers.get("cache-control")).toBe("no-store");
  });

  it("keeps the services' messages for expected failures", async () => {
    expect(
      (await mapped(new ForbiddenError("Four eyes: you cannot approve your own request."))).body.error.message,
    ).toBe("Four eyes: you cannot approve your own request.");
    expect((await mapped(new IllegalTransitionError("merged", "approved"))).body.error.message).toBe(
      "A request cannot go from merged to approved.",
    );
  });

  it("an unavailable forge is a 503 that says so, with Retry-After, and is logged as a warning", async () => {
    const r = await mapped(new ForgeUnavailableError("merge pull request: HTTP 502", 502));
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe("forge_unavailable");
    expect(r.body.error.message).toMatch(/forge is not answering/);
    expect(r.headers.get("retry-after")).toBe("60");
    expect(r.log.warn).toHaveBeenCalledOnce();
  });

  it("a forge refusal is a 502 without the forge's details", async () => {
    const r = await mapped(new ForgeRequestError(403, "create branch: HTTP 403: token lacks scope repo"));
    expect(r.status).toBe(502);
    expect(JSON.stringify(r.body)).not.toContain("token");
    expect(r.log.error).toHaveBeenCalledOnce();
  });

  it("anything unexpected is a generic 500, logged with the details it does not return", async () => {
    const r = await mapped(new Error('relation "tenants" does not exist at postgres://berth:secret@db'));
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ error: { code: "internal", message: expect.any(String) } });
    expect(JSON.stringify(r.body)).not.toMatch(/relation|postgres|secret/);
    expect(r.log.error.mock.calls[0]![0]).toMatchObject({ err: { message: expect.stringContaining("relation") } });
  });
});

describe("one error table", () => {
  it("answers every code with the status the OpenAPI document lists for it", () => {
    const statuses = Object.fromEntries(ERROR_CODES.map((c) => [c, ERRORS[c].status]));
    expect(statuses).toEqual({
      invalid_json: 400,
      too_large: 413,
      validation_failed: 400,
      unauthenticated: 401,
      forbidden: 403,
      not_found: 404,
      conflict: 409,
      forge_unavailable: 503,
      forge_error: 502,
      internal: 500,
    });
  });

  it("maps every domain error to its code", () => {
    const cases: [unknown, string][] = [
      [new FieldError("team", "x"), "validation_failed"],
      [new PolicyError("request.approve", "Only platform admins can approve requests."), "forbidden"],
      [new IllegalTransitionError("merged", "approved"), "conflict"],
      [new MergeConflictError(1, []), "conflict"],
      [new ForgeUnavailableError("down"), "forge_unavailable"],
      [new ForgeRequestError(403, "no"), "forge_error"],
      [new Error("boom"), "internal"],
    ];
    for (const [err, code] of cases) expect(describeError(err).code).toBe(code);
  });
});

describe("readJson and the body schemas", () => {
  const post = (body: string) => new Request("http://berth.test/api/v1/requests", { method: "POST", body });

  it("invalid JSON is a 400 naming the body", async () => {
    await expect(readJson(post("{nope"), submitBody)).rejects.toMatchObject({
      code: "invalid_json",
      fields: { body: expect.any(String) },
    });
    await expect(readJson(post(""), submitBody)).rejects.toMatchObject({ code: "invalid_json" });
  });

  it("an empty body is allowed where the body is optional", async () => {
    await expect(readJson(post(""), z.object({ comment: z.string().optional() }), { optional: true })).resolves.toEqual(
      {},
    );
  });

  it("refuses oversized bodies", async () => {
    await expect(readJson(post(JSON.stringify({ x: "a".repeat(300_000) })), submitBody)).rejects.toMatchObject({
      code: "too_large",
    });
  });

  it("field errors name the body field; an unknown action names action", async () => {
    await expect(
      readJson(
        post(JSON.stringify({ action: "create", template: "t", team: 5, tenantName: "x", placement: "p" })),
        submitBody,
      ),
    ).rejects.toMatchObject({ code: "validation_failed", fields: { team: expect.any(String) } });
    await expect(readJson(post(JSON.stringify({ action: "explode" })), submitBody)).rejects.toMatchObject({
      code: "validation_failed",
      fields: { action: expect.stringContaining("create") },
    });
    await expect(readJson(post("[]"), submitBody)).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("list filters: comma-separated states, bounded paging", () => {
    expect(listQuery.parse({ state: "submitted,pr_open" })).toEqual({
      state: ["submitted", "pr_open"],
      limit: 100,
      offset: 0,
    });
    const bad = listQuery.safeParse({ state: "submitted,bogus", limit: "9999", offset: "-1", action: "nuke" });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path[0]);
    expect(new Set(paths)).toEqual(new Set(["state", "limit", "offset", "action"]));
  });
});
