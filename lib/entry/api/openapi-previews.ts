// The OpenAPI description of POST /api/v1/previews (merged into lib/api/openapi.ts).
const str = { type: "string" } as const;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const err = (description: string) => ({ description, content: { "application/json": { schema: ref("Error") } } });

export const previewSchemas: Record<string, unknown> = {
  PreviewRequest: {
    description: "A create or update request as it would be submitted (without `previewFingerprint`).",
    oneOf: [ref("CreateRequest"), ref("UpdateRequest")],
    discriminator: { propertyName: "action" },
  },
  Preview: {
    type: "object",
    required: ["fingerprint", "validUntil", "template", "expiresAt", "outputs", "changes"],
    properties: {
      fingerprint: {
        ...str,
        pattern: "^sha256:[0-9a-f]{64}$",
        description:
          "SHA-256 over the path and exact bytes of every file in `changes` (deletions by path). Send it as `previewFingerprint` to submit exactly this.",
      },
      validUntil: { ...str, format: "date-time", description: "Submit before this time." },
      template: { ...str, description: "name@version" },
      expiresAt: { type: ["string", "null"], format: "date-time", description: "The tenant's expiry, if any." },
      outputs: { type: "object", additionalProperties: str },
      changes: {
        type: "array",
        description: "What the pull request will write (`content`) or delete (`delete: true`).",
        items: {
          oneOf: [
            { type: "object", required: ["path", "content"], properties: { path: str, content: str } },
            { type: "object", required: ["path", "delete"], properties: { path: str, delete: { const: true } } },
          ],
        },
      },
    },
  },
};

export const previewPaths = {
  "/api/v1/previews": {
    post: {
      operationId: "previewRequest",
      tags: ["requests"],
      summary: "Render a create or update request without submitting it",
      description:
        "Validated and rendered exactly like a submit (same id, same expiry as the request will get), nothing is written to Git. Returns the files and their fingerprint.",
      requestBody: { required: true, content: { "application/json": { schema: ref("PreviewRequest") } } },
      responses: {
        "200": { description: "The preview.", content: { "application/json": { schema: ref("Preview") } } },
        "400": err("Invalid JSON, or field errors in `error.fields` (body fields and `param.<path>` for parameters)."),
        "413": err("The body is too large."),
        "401": err("No Berth session (sign in through the UI; the API uses the session cookie)."),
        "500": err("Unexpected failure; logged on the server, the message is generic."),
      },
    },
  },
};
