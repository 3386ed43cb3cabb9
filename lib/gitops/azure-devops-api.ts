import "server-only";
import type { JsonClient } from "./http";
import type { TreeListing } from "./plan";
import type { PullRequestState } from "./types";

// Read helpers of the Azure DevOps provider (Git REST API 7.1).

export type AzurePull = {
  pullRequestId: number;
  status: "active" | "completed" | "abandoned" | string;
  sourceRefName: string;
  mergeStatus?: string;
  lastMergeSourceCommit?: { commitId: string } | null;
  lastMergeCommit?: { commitId: string } | null;
  repository?: { webUrl?: string };
};

export const heads = (branch: string) => `refs/heads/${branch}`;

export function azurePullState(p: AzurePull, webUrl: string): PullRequestState {
  const state = p.status === "completed" ? "merged" : p.status === "active" ? "open" : "closed";
  return {
    number: p.pullRequestId,
    url: `${p.repository?.webUrl ?? webUrl}/pullrequest/${p.pullRequestId}`,
    state,
    headBranch: p.sourceRefName.replace(/^refs\/heads\//, ""),
    headSha: p.lastMergeSourceCommit?.commitId ?? null,
    mergeCommitSha: state === "merged" ? (p.lastMergeCommit?.commitId ?? null) : null,
  };
}

export async function azureTip(api: JsonClient, branch: string): Promise<string | null> {
  // `filter` is a prefix match: pick the exact name.
  const r = await api<{ value: { name: string; objectId: string }[] }>("GET", "/refs", {
    query: { filter: `heads/${branch}` },
  });
  return r.body.value.find((ref) => ref.name === heads(branch))?.objectId ?? null;
}

/** Blobs under `dir` ("" = everything) at a commit or branch; paths without the leading "/". */
export async function azureTree(
  api: JsonClient,
  version: { sha: string } | { branch: string },
  dir = "",
): Promise<TreeListing> {
  const r = await api<{ value: { path: string; objectId: string; gitObjectType: string }[] }>("GET", "/items", {
    query: {
      scopePath: `/${dir}`,
      recursionLevel: "Full",
      "versionDescriptor.version": "sha" in version ? version.sha : version.branch,
      "versionDescriptor.versionType": "sha" in version ? "commit" : "branch",
    },
    allow: [404],
  });
  if (r.status === 404) return new Map();
  return new Map(
    r.body.value.filter((i) => i.gitObjectType === "blob").map((i) => [i.path.replace(/^\//, ""), i.objectId]),
  );
}

export async function azurePullsFor(api: JsonClient, branch: string, webUrl: string): Promise<PullRequestState[]> {
  const r = await api<{ value: AzurePull[] }>("GET", "/pullrequests", {
    query: { "searchCriteria.sourceRefName": heads(branch), "searchCriteria.status": "all", $top: 100 },
  });
  return r.body.value.map((p) => azurePullState(p, webUrl)).sort((a, b) => b.number - a.number);
}
