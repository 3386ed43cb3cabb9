// Component schemas of the OpenAPI document (lib/entry/api/openapi.ts), kept apart so each file stays readable.
import { requestAction, requestState } from "@/db/schema";
import { ERROR_CODES } from "@/lib/errors";
import { TEMPLATE_KINDS } from "@/lib/templates/schema";

const str = { type: "string" } as const;
const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, "null"], ...extra });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const parameters = {
  type: "object",
  additionalProperties: true,
  description:
    "Template parameters as typed JSON, validated against the template's `parameters` JSON Schema (see " +
    "GET /api/v1/templates). Errors are reported as `param.<path>`, e.g. `param.nodePools.0.name`.",
};

// Optional, so scripts can submit without a preview; the UI always sends it.
export const previewFingerprintProperty = {
  ...str,
  pattern: "^sha256:[0-9a-f]{64}$",
  description:
    "The `fingerprint` POST /api/v1/previews returned (valid 60 minutes, once). When given, Berth renders the request again and refuses it (400, `error.fields.previewFingerprint`) unless its files are byte for byte those of that preview: the request then gets the preview's id and its pull request carries exactly the previewed files. Without it the request is rendered at submit time.",
};

export const schemas: Record<string, unknown> = {
  Error: {
    type: "object",
    required: ["error"],
    properties: {
      error: {
        type: "object",
        required: ["code", "message"],
        properties: {
          // The codes of lib/errors' table, which answers actions and the API alike.
          code: { type: "string", enum: [...ERROR_CODES] },
          message: { type: "string", description: "A sentence for a person." },
          fields: {
            type: "object",
            additionalProperties: str,
            description:
              "Per-field problems: body fields (`tenantName`, `team`), `param.<path>` for template parameters, " +
              "`body` for an unreadable body.",
          },
        },
      },
    },
  },
  RequestState: { type: "string", enum: [...requestState.enumValues] },
  RequestAction: { type: "string", enum: [...requestAction.enumValues] },
  Links: {
    type: "object",
    required: ["self"],
    properties: { self: { ...str, format: "uri-reference" }, pullRequest: nullable("string", { format: "uri" }) },
  },
  Template: {
    type: "object",
    required: [
      "name",
      "version",
      "versions",
      "kind",
      "title",
      "description",
      "source",
      "policy",
      "teams",
      "parameters",
      "placements",
    ],
    properties: {
      name: str,
      version: { ...str, description: "The newest version." },
      versions: { type: "array", items: str, description: "Every version in the catalog, newest first." },
      kind: { type: "string", enum: [...TEMPLATE_KINDS] },
      title: str,
      description: str,
      source: { type: "string", enum: ["builtin", "git"] },
      policy: {
        type: "object",
        required: ["autoApprove", "allowedRoles", "perUser", "selfApproval", "ttl"],
        properties: {
          autoApprove: { type: "boolean" },
          allowedRoles: { type: "array", items: { type: "string", enum: ["member", "owner"] } },
          perUser: { type: "boolean" },
          selfApproval: { type: "boolean" },
          ttl: {
            oneOf: [
              { type: "null" },
              { type: "object", properties: { defaultHours: { type: "integer" }, maxHours: { type: "integer" } } },
            ],
          },
        },
      },
      teams: { type: "array", items: str, description: "Teams the caller may request this template for." },
      parameters: {
        type: "object",
        description:
          "JSON Schema (2020-12) of the parameters. `x-berth-options` names a list each placement target " +
          "fills in (see `placements[].options`).",
      },
      placements: {
        type: "array",
        items: {
          type: "object",
          required: ["value", "label", "target", "nodePool", "options"],
          properties: {
            value: { ...str, description: "What to send as `placement`: `target/pool` or `target`." },
            label: str,
            target: str,
            nodePool: nullable("string"),
            options: { type: "object", additionalProperties: { type: "array", items: str } },
          },
        },
      },
    },
  },
  CreateRequest: {
    type: "object",
    required: ["action", "template", "team", "tenantName", "placement"],
    additionalProperties: false,
    properties: {
      action: { const: "create" },
      template: str,
      version: { ...str, description: "Defaults to the newest version." },
      team: str,
      tenantName: { ...str, pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", minLength: 3, maxLength: 40 },
      placement: str,
      parameters,
      previewFingerprint: previewFingerprintProperty,
    },
  },
  UpdateRequest: {
    type: "object",
    required: ["action", "tenant"],
    properties: {
      action: { const: "update" },
      tenant: str,
      version: { ...str, description: "Move to this template version; defaults to the tenant's current one." },
      placement: str,
      parameters: {
        ...parameters,
        description: `${parameters.description} Parameters left out keep the tenant's current values.`,
      },
      previewFingerprint: previewFingerprintProperty,
    },
  },
  DecommissionRequest: {
    type: "object",
    required: ["action", "tenant"],
    properties: { action: { const: "decommission" }, tenant: str, reason: { ...str, maxLength: 500 } },
  },
  SubmitRequest: {
    oneOf: [ref("CreateRequest"), ref("UpdateRequest"), ref("DecommissionRequest")],
    discriminator: { propertyName: "action" },
  },
  Accepted: {
    type: "object",
    required: ["id", "tenant", "state", "autoApprove", "links"],
    properties: {
      id: { ...str, format: "uuid" },
      tenant: str,
      state: { const: "submitted" },
      autoApprove: { type: "boolean" },
      links: ref("Links"),
    },
  },
  RequestSummary: {
    type: "object",
    required: [
      "id",
      "action",
      "state",
      "tenant",
      "team",
      "template",
      "requestedBy",
      "prNumber",
      "prUrl",
      "lastError",
      "createdAt",
      "updatedAt",
      "links",
    ],
    properties: {
      id: { ...str, format: "uuid" },
      action: ref("RequestAction"),
      state: ref("RequestState"),
      tenant: str,
      team: str,
      template: { ...str, description: "name@version" },
      requestedBy: str,
      prNumber: nullable("integer"),
      prUrl: nullable("string", { format: "uri" }),
      lastError: nullable("string"),
      createdAt: { ...str, format: "date-time" },
      updatedAt: { ...str, format: "date-time" },
      links: ref("Links"),
    },
  },
  RequestDetail: {
    allOf: [
      ref("RequestSummary"),
      {
        type: "object",
        required: [
          "reason",
          "requestedById",
          "selfApproval",
          "parameters",
          "changes",
          "mergeCommitSha",
          "previewFingerprint",
          "timeline",
        ],
        properties: {
          reason: nullable("string"),
          requestedById: { ...str, format: "uuid" },
          selfApproval: { type: "boolean" },
          parameters: { type: "object" },
          changes: {
            type: "array",
            description: "Files the pull request writes (`content`) or deletes (`delete: true`).",
            items: {
              oneOf: [
                { type: "object", required: ["path", "content"], properties: { path: str, content: str } },
                { type: "object", required: ["path", "delete"], properties: { path: str, delete: { const: true } } },
              ],
            },
          },
          mergeCommitSha: nullable("string"),
          previewFingerprint: {
            ...nullable("string"),
            description:
              "Fingerprint of the requester's preview; `changes` are exactly the previewed files. Null when submitted without a preview.",
          },
          timeline: {
            type: "array",
            items: {
              type: "object",
              required: ["from", "to", "actor", "reason", "at"],
              properties: {
                from: { oneOf: [ref("RequestState"), { type: "null" }] },
                to: ref("RequestState"),
                actor: str,
                reason: nullable("string"),
                at: { ...str, format: "date-time" },
              },
            },
          },
        },
      },
    ],
  },
  Decided: {
    type: "object",
    required: ["id", "tenant", "state", "links"],
    properties: { id: { ...str, format: "uuid" }, tenant: str, state: ref("RequestState"), links: ref("Links") },
  },
};
