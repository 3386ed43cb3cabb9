import type { RequestAction } from "@/db/schema";

export type PrTextInput = {
  requestId: string;
  action: RequestAction;
  tenant: string;
  team: string;
  template: string; // name@version
  requestedBy: string;
  parameters: Record<string, unknown>;
  purpose?: string;
  baseUrl: string;
  // The requester's preview: this pull request's files are exactly the previewed ones.
  previewFingerprint?: string | null;
};

/** Markdown cells are user data: escape what would break the table or start HTML. */
function cell(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.replace(/[\\|`*_<>[\]]/g, (c) => `\\${c}`).replace(/\r?\n/g, " ");
}

export function pullRequestTitle(i: PrTextInput): string {
  return `[berth] ${i.action} ${i.template.split("@")[0]} ${i.tenant} (team ${i.team})`;
}

export function pullRequestBody(i: PrTextInput): string {
  const rows = Object.entries(i.parameters).map(([k, v]) => `| \`${k}\` | ${cell(v)} |`);
  const what = { create: "Create tenant", update: "Change tenant", decommission: "Decommission tenant" }[i.action];
  return [
    `**${what} \`${i.tenant}\`** for team **${cell(i.team)}**, requested by ${cell(i.requestedBy)} through Berth.`,
    "",
    `- Template: \`${i.template}\``,
    `- Request: ${i.baseUrl}/requests/${i.requestId}`,
    ...(i.previewFingerprint
      ? [
          `- Previewed by the requester: \`${i.previewFingerprint}\` (fingerprint of exactly the files of this pull request)`,
        ]
      : []),
    "",
    ...(i.action === "decommission"
      ? [`Merging deletes \`tenants/${i.tenant}/\`; Argo CD prunes everything it created.`]
      : ["| parameter | value |", "| --- | --- |", ...rows]),
    "",
    "Approve or reject this request in Berth; merging or closing it here is picked up as well.",
  ].join("\n");
}

export const requestBranch = (requestId: string) => `berth/request-${requestId}`;
export const requestLabels = (action: RequestAction, team: string) => ["berth", `berth:${action}`, `team:${team}`];
