// Reading API input: JSON bodies and query strings, with problems reported as field errors.
import "server-only";
import type { z } from "zod";
import { AppError, ValidationError } from "@/lib/errors";
import { zodFields } from "./respond";

const MAX_BODY = 256 * 1024;

/** Parses a JSON body (empty allowed when `optional`) and validates it; problems are 400s naming the field. */
export async function readJson<S extends z.ZodType>(
  request: Request,
  schema: S,
  opts: { optional?: boolean } = {},
): Promise<z.infer<S>> {
  const text = await request.text();
  // Parameters of the largest template are a few kilobytes; refuse anything far beyond that.
  if (text.length > MAX_BODY)
    throw new AppError("too_large", `The request body is larger than ${MAX_BODY / 1024} KiB.`);
  let raw: unknown = {};
  if (text.trim() !== "" || !opts.optional) {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new AppError("invalid_json", "The request body is not valid JSON.", {
        fields: { body: "Send a JSON object with content-type application/json." },
      });
    }
  }
  return parseWith(schema, raw);
}

/** Validates query parameters or a parsed body with zod; failures become field errors. */
export function parseWith<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(zodFields(parsed.error));
  return parsed.data;
}
