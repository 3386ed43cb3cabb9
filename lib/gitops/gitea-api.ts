import "server-only";
import { encodePath, type JsonClient } from "./http";
import type { TreeListing } from "./plan";
import type { PullRequestState } from "./types";

// Read helpers of the Gitea provider: branches, trees, pull request lists and labels.

export type GiteaPull = {
  number: number;
  html_url: string;
  state: string;
  merged: boolean;
  mergeable: boolean;
  merge_commit_sha: string | null;
  head: { ref: string; sha: string };
};

export function giteaPullState(p: GiteaPull): PullRequestState {
  return {
    number: p.number,
    url: p.html_url,
    state: p.merged ? "merged" : p.state === "open" ? "open" : "closed",
    headBranch: p.head.ref,
    headSha: p.head.sha,
    mergeCommitSha: p.merged ? p.merge_commit_sha : null,
  };
}

export async function giteaTip(api: JsonClient, repo: string, branch: string): Promise<string | null> {
  const r = await api<{ commit: { id: string } }>("GET", `${repo}/branches/${encodePath(branch)}`, { allow: [404] });
  return r.status === 404 ? null : r.body.commit.id;
}

/** Every blob of a commit's tree; Gitea pages large trees (`truncated`). */
export async function giteaTree(api: JsonClient, repo: string, sha: string): Promise<TreeListing> {
  const files: TreeListing = new Map();
  for (let page = 1; page <= 100; page++) {
    const r = await api<{ tree: { path: string; type: string; sha: string }[] | null; truncated: boolean }>(
      "GET",
      `${repo}/git/trees/${sha}`,
      { query: { recursive: "true", per_page: 10000, page } },
    );
    for (const e of r.body.tree ?? []) if (e.type === "blob") files.set(e.path, e.sha);
    if (!r.body.truncated) break;
  }
  return files;
}

/** Pull requests of a head branch, newest first (Gitea's list has no head filter: we page). */
export async function giteaPullsFor(api: JsonClient, repo: string, head: string): Promise<PullRequestState[]> {
  const found: PullRequestState[] = [];
  const limit = 50;
  for (let page = 1; page <= 20; page++) {
    const r = await api<GiteaPull[]>("GET", `${repo}/pulls`, {
      query: { state: "all", sort: "recentupdate", limit, page },
    });
    for (const p of r.body) if (p.head.ref === head) found.push(giteaPullState(p));
    if (r.body.length < limit) break;
  }
  return found.sort((a, b) => b.number - a.number);
}

/** Label ids for names, creating the missing labels (Gitea's pull request API takes ids). */
export async function giteaLabelIds(api: JsonClient, repo: string, names: string[]): Promise<number[]> {
  if (names.length === 0) return [];
  const existing = await api<{ id: number; name: string }[]>("GET", `${repo}/labels`, { query: { limit: 50 } });
  const ids: number[] = [];
  for (const name of new Set(names)) {
    const hit = existing.body.find((l) => l.name === name);
    if (hit) {
      ids.push(hit.id);
      continue;
    }
    const created = await api<{ id: number }>("POST", `${repo}/labels`, {
      body: { name, color: "#0e8a16", description: "Added by Berth" },
    });
    ids.push(created.body.id);
  }
  return ids;
}
