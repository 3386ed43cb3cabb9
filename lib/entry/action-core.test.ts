import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { PolicyError } from "@/lib/auth/policy";
import { ERRORS, FieldError } from "@/lib/errors";
import { ForgeUnavailableError } from "@/lib/gitops/errors";
import { runAction } from "./action-core";
import type { Viewer } from "@/lib/auth/viewer";

const member: Viewer = { id: "u1", name: "Dev", email: "dev@x", isPlatformAdmin: false, teams: [] };
const admin: Viewer = { ...member, id: "u2", isPlatformAdmin: true };
const schema = z.object({ slug: z.string().min(2, "Use at least 2 characters.") });

function run(viewer: Viewer | null, raw: Record<string, string>, handler = vi.fn(async () => "done")) {
  const log = { error: vi.fn(), warn: vi.fn() };
  return { handler, log, result: runAction({ name: "t", viewer, may: "team.create", schema, raw, handler, log }) };
}

describe("runAction", () => {
  it("refuses without a session and never calls the service", async () => {
    const { handler, result } = run(null, { slug: "ok" });
    expect(await result).toMatchObject({ ok: false, message: "Your session has ended. Sign in again." });
    expect(handler).not.toHaveBeenCalled();
  });

  it("refuses a non-admin on an admin action, even with valid input", async () => {
    const { handler, log, result } = run(member, { slug: "ok" });
    expect(await result).toMatchObject({ ok: false, message: "Only platform admins can do this." });
    expect(handler).not.toHaveBeenCalled();
    expect(log.warn).toHaveBeenCalled();
  });

  it("names the invalid field and echoes the input back", async () => {
    const { handler, result } = run(admin, { slug: "x" });
    expect(await result).toMatchObject({
      ok: false,
      fieldErrors: { slug: "Use at least 2 characters." },
      values: { slug: "x" },
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it("turns a service FieldError into a field error", async () => {
    const { result } = run(
      admin,
      { slug: "taken" },
      vi.fn(async () => {
        throw new FieldError("slug", "Taken.");
      }),
    );
    expect(await result).toMatchObject({ ok: false, fieldErrors: { slug: "Taken." } });
  });

  it("logs the unexpected and returns a generic message without internals", async () => {
    const { result, log } = run(
      admin,
      { slug: "ok" },
      vi.fn(async () => {
        throw new Error("connection string postgres://secret");
      }),
    );
    const state = await result;
    expect(state.ok).toBe(false);
    expect(state.message).not.toContain("postgres");
    expect(log.error).toHaveBeenCalledOnce();
  });

  it("answers domain errors from the same table as the REST API", async () => {
    const refused = run(
      admin,
      { slug: "ok" },
      vi.fn(async () => {
        throw new PolicyError("request.approve", "Four eyes: you cannot approve your own request.");
      }),
    );
    expect(await refused.result).toMatchObject({
      ok: false,
      message: "Four eyes: you cannot approve your own request.",
    });
    expect(refused.log.warn).toHaveBeenCalledOnce();
    const down = run(
      admin,
      { slug: "ok" },
      vi.fn(async () => {
        throw new ForgeUnavailableError("merge: HTTP 502 from https://forge.internal", 502);
      }),
    );
    const state = await down.result;
    expect(state.message).toBe(ERRORS.forge_unavailable.message);
    expect(state.message).not.toContain("forge.internal");
    expect(down.log.warn).toHaveBeenCalledOnce();
  });

  it("returns the service's result on success", async () => {
    const { result } = run(admin, { slug: "ok" });
    expect(await result).toEqual({ ok: true, data: "done", values: { slug: "ok" } });
  });
});
