// The OpenAPI 3.1 description of /api/v1, written by hand next to the handlers it describes;
// lib/entry/api/openapi.test.ts checks that every route file appears here.
import "server-only";
import { ERRORS, type ErrorCode } from "@/lib/errors";
import { previewPaths, previewSchemas } from "./openapi-previews";
import { schemas } from "./openapi-schemas";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const body = (schema: unknown) => ({ "application/json": { schema } });
const ok = (description: string, schema: unknown) => ({ description, content: body(schema) });
const err = (description: string) => ({ description, content: body(ref("Error")) });
// Status codes from lib/errors' table, the one the handlers answer from.
const status = (code: ErrorCode) => String(ERRORS[code].status);

// Every operation can answer these; the service decides which apply.
const common = {
  [status("unauthenticated")]: err("No Berth session (sign in through the UI; the API uses the session cookie)."),
  [status("internal")]: err("Unexpected failure; logged on the server, the message is generic."),
};
const invalid = {
  [status("validation_failed")]: err(
    "Invalid JSON, or field errors in `error.fields` (body fields and `param.<path>` for parameters).",
  ),
};
const notFound = {
  [status("not_found")]: err("The request does not exist or is not visible to the caller (same answer for both)."),
};
const forge = {
  [status("forge_error")]: err("The Git forge refused the operation (a platform configuration problem)."),
  [status("forge_unavailable")]: err("The Git forge is unavailable; try again later (see the Retry-After header)."),
};
const decision = {
  ...invalid,
  [status("forbidden")]: err("The caller may not do this (e.g. not a platform admin, or approving their own request)."),
  ...notFound,
  [status("conflict")]: err("The request is not in a state that allows this (e.g. already merged)."),
  ...forge,
  ...common,
};
const idParam = {
  name: "id",
  in: "path",
  required: true,
  description: "Request id (UUID).",
  schema: { type: "string", format: "uuid" },
};

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Berth API",
    version: "1.0.0",
    description:
      "Self-service Kubernetes tenancy: the same operations, authorization and validation as the Berth " +
      "UI. Requests become pull requests in the GitOps repository; platform admins approve them.",
  },
  servers: [{ url: "/" }],
  security: [{ sessionCookie: [] }],
  tags: [{ name: "templates" }, { name: "requests" }, { name: "meta" }],
  paths: {
    "/api/v1/templates": {
      get: {
        operationId: "listTemplates",
        tags: ["templates"],
        summary: "Templates the caller may request",
        description:
          "The newest version of each template the caller may request for at least one team, with its " +
          "parameter JSON Schema and placement choices.",
        responses: {
          "200": ok("The templates.", {
            type: "object",
            required: ["templates"],
            properties: { templates: { type: "array", items: ref("Template") } },
          }),
          ...common,
        },
      },
    },
    "/api/v1/requests": {
      get: {
        operationId: "listRequests",
        tags: ["requests"],
        summary: "Requests visible to the caller",
        description: "Platform admins see every request; others their own and their teams' requests. Newest first.",
        parameters: [
          {
            name: "state",
            in: "query",
            description: "Comma-separated states, e.g. `submitted,pr_open`.",
            schema: { type: "string" },
          },
          { name: "team", in: "query", description: "Team slug.", schema: { type: "string", maxLength: 40 } },
          { name: "action", in: "query", schema: ref("RequestAction") },
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 500, default: 100 } },
          { name: "offset", in: "query", schema: { type: "integer", minimum: 0, default: 0 } },
        ],
        responses: {
          "200": ok("A page of requests.", {
            type: "object",
            required: ["requests", "limit", "offset"],
            properties: {
              requests: { type: "array", items: ref("RequestSummary") },
              limit: { type: "integer" },
              offset: { type: "integer" },
            },
          }),
          ...invalid,
          ...common,
        },
      },
      post: {
        operationId: "submitRequest",
        tags: ["requests"],
        summary: "Submit a create, update or decommission request",
        description:
          "Validated exactly like the UI form. With `previewFingerprint` (from POST /api/v1/previews) the " +
          "request must render to exactly the previewed files. The pull request is opened by a background job: " +
          "poll the request until its state is `pr_open`.",
        requestBody: { required: true, content: body(ref("SubmitRequest")) },
        responses: {
          "202": {
            ...ok("Recorded; the pull request follows.", ref("Accepted")),
            headers: { Location: { description: "The request's URL.", schema: { type: "string" } } },
          },
          ...invalid,
          [status("too_large")]: err("The body is too large."),
          ...common,
        },
      },
    },
    "/api/v1/requests/{id}": {
      get: {
        operationId: "getRequest",
        tags: ["requests"],
        summary: "One request with its timeline, changes and pull request",
        parameters: [idParam],
        responses: { "200": ok("The request.", ref("RequestDetail")), ...notFound, ...common },
      },
    },
    "/api/v1/requests/{id}/cancel": {
      post: {
        operationId: "cancelRequest",
        tags: ["requests"],
        summary: "Withdraw a request (requester or platform admin)",
        description:
          "Allowed while submitted, pr_open or failed; an open pull request is closed with a comment. No body.",
        parameters: [idParam],
        responses: { "200": ok("Cancelled.", ref("Decided")), ...decision },
      },
    },
    "/api/v1/requests/{id}/approve": {
      post: {
        operationId: "approveRequest",
        tags: ["requests"],
        summary: "Approve and merge (platform admins)",
        description:
          "Four eyes: the requester cannot approve their own request unless the template allows it. The " +
          "optional comment is posted on the pull request.",
        parameters: [idParam],
        requestBody: {
          required: false,
          content: body({ type: "object", properties: { comment: { type: "string", maxLength: 2000 } } }),
        },
        responses: {
          "200": ok("Approved; `state` is `merged` once the merge went through.", ref("Decided")),
          ...decision,
        },
      },
    },
    "/api/v1/requests/{id}/reject": {
      post: {
        operationId: "rejectRequest",
        tags: ["requests"],
        summary: "Reject with a reason (platform admins)",
        description: "Closes the pull request with the reason as a comment.",
        parameters: [idParam],
        requestBody: {
          required: true,
          content: body({
            type: "object",
            required: ["reason"],
            properties: { reason: { type: "string", minLength: 3, maxLength: 2000 } },
          }),
        },
        responses: { "200": ok("Rejected.", ref("Decided")), ...decision },
      },
    },
    ...previewPaths,
    "/api/v1/openapi.json": {
      get: {
        operationId: "getOpenApiDocument",
        tags: ["meta"],
        summary: "This document",
        security: [],
        responses: {
          "200": {
            description: "The OpenAPI 3.1 document.",
            content: { "application/json": { schema: { type: "object" } } },
          },
        },
      },
    },
  },
  components: {
    securitySchemes: {
      sessionCookie: {
        type: "apiKey",
        in: "cookie",
        name: "authjs.session-token",
        description:
          "The Berth session cookie set by signing in through the UI (`__Secure-authjs.session-token` when Berth is served over HTTPS).",
      },
    },
    schemas: { ...schemas, ...previewSchemas },
  },
} as const;
