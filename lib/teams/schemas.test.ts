import { describe, expect, it } from "vitest";
import { createTeamInput, groupIdSchema } from "./schemas";

const firstError = (r: { success: boolean; error?: { issues: { message: string; path: PropertyKey[] }[] } }) =>
  r.success ? null : `${String(r.error?.issues[0]?.path[0] ?? "")}: ${r.error?.issues[0]?.message}`;

describe("team input", () => {
  it.each([
    ["Payments", "slug: Use lowercase letters"],
    ["-pay", "slug: Use lowercase letters"],
    ["a", "slug: Use at least 2 characters."],
    ["x".repeat(33), "slug: Use at most 32"],
    ["pay ments", "slug: Use lowercase letters"],
  ])("rejects team name %j", (slug, expected) => {
    expect(firstError(createTeamInput.safeParse({ slug, displayName: "P" }))).toContain(expected);
  });

  it("accepts a DNS-1123 label and trims", () => {
    expect(createTeamInput.parse({ slug: " payments-2 ", displayName: " Payments " })).toEqual({
      slug: "payments-2",
      displayName: "Payments",
      description: "",
    });
  });

  it("requires a display name", () => {
    expect(firstError(createTeamInput.safeParse({ slug: "ok" }))).toBe("displayName: Enter a display name.");
  });
});

describe("directory group IDs", () => {
  const oidc = groupIdSchema({ provider: "oidc", prefix: "berth-" });
  const entra = groupIdSchema({ provider: "entra", prefix: "" });

  it("accepts group names under the prefix", () => {
    expect(oidc.parse("berth-team-payments")).toBe("berth-team-payments");
    expect(oidc.parse("berth-org:team/sub")).toBe("berth-org:team/sub");
  });

  it.each([
    ["", "Enter a directory group."],
    ["berth-a\nkind: x", "Control characters"],
    ["team-payments", 'Must start with the configured group prefix "berth-"'],
    ["berth-<script>", "Use letters, digits"],
    [`berth-${"x".repeat(300)}`, "at most 256"],
  ])("rejects %j", (value, expected) => {
    const r = oidc.safeParse(value);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message).join(" ")).toContain(expected);
  });

  it("requires an object ID (GUID) with Entra ID", () => {
    expect(entra.parse("3f2a1b4c-0d9e-4f00-8a11-22b33c44d55e")).toBe("3f2a1b4c-0d9e-4f00-8a11-22b33c44d55e");
    expect(entra.safeParse("platform-admins").error?.issues[0]?.message).toContain("object ID");
  });
});
