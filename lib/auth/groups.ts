import "server-only";
import { getLogger } from "@/lib/log";

export type GroupResolution =
  | { ok: true; groups: string[]; source: "token" | "graph" }
  | { ok: false; code: "MissingGroups" | "GroupOverageFailed"; detail: string };

type Profile = Record<string, unknown>;

/** Keeps only groups under the configured prefix, deduplicated and sorted (stable audit diffs). */
export function filterGroups(groups: readonly string[], prefix: string): string[] {
  return [...new Set(groups.filter((g) => typeof g === "string" && g.length > 0 && g.startsWith(prefix)))].sort();
}

function claimList(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  // Some providers send a single group as a plain string.
  if (typeof value === "string") return [value];
  return undefined;
}

/** Entra ID omits `groups` above 200 (JWT) groups and signals it with _claim_names or hasgroups. */
export function hasGroupOverage(profile: Profile): boolean {
  const names = profile._claim_names as Record<string, unknown> | undefined;
  return Boolean(
    (names && typeof names === "object" && "groups" in names) ||
      profile.hasgroups === true ||
      profile.hasgroups === "true",
  );
}

/** Reads every group object ID of the signed-in user from Microsoft Graph, following paging. */
export async function fetchGraphGroups(opts: {
  graphUrl: string;
  accessToken: string;
  fetchImpl?: typeof fetch;
}): Promise<string[]> {
  const doFetch = opts.fetchImpl ?? fetch;
  let next: string | undefined =
    `${opts.graphUrl}/v1.0/me/transitiveMemberOf/microsoft.graph.group?$select=id&$top=999`;
  const ids: string[] = [];
  for (let page = 0; next && page < 50; page++) {
    const res: Response = await doFetch(next, {
      headers: { authorization: `Bearer ${opts.accessToken}`, accept: "application/json" },
    });
    if (!res.ok) throw new Error(`Microsoft Graph answered ${res.status} for transitiveMemberOf`);
    const body = (await res.json()) as { value?: { id?: unknown }[]; "@odata.nextLink"?: string };
    for (const g of body.value ?? []) if (typeof g.id === "string") ids.push(g.id);
    next = body["@odata.nextLink"];
  }
  return ids;
}

/** The user's directory groups from the token (or Graph on overage), filtered by prefix. */
export async function resolveGroups(opts: {
  profile: Profile;
  claim: string;
  prefix: string;
  entra?: { graphUrl: string; accessToken: string | undefined; fetchImpl?: typeof fetch };
}): Promise<GroupResolution> {
  const fromToken = claimList(opts.profile[opts.claim]);
  if (fromToken) return { ok: true, groups: filterGroups(fromToken, opts.prefix), source: "token" };
  if (opts.entra && hasGroupOverage(opts.profile)) {
    if (!opts.entra.accessToken) {
      return { ok: false, code: "GroupOverageFailed", detail: "no access token to call Microsoft Graph" };
    }
    try {
      const ids = await fetchGraphGroups({ ...opts.entra, accessToken: opts.entra.accessToken });
      return { ok: true, groups: filterGroups(ids, opts.prefix), source: "graph" };
    } catch (err) {
      getLogger().warn({ err: (err as Error).message }, "group overage: Microsoft Graph lookup failed");
      return { ok: false, code: "GroupOverageFailed", detail: (err as Error).message };
    }
  }
  return { ok: false, code: "MissingGroups", detail: `the token has no "${opts.claim}" claim` };
}
