import "server-only";
import pino from "pino";
import { getConfig } from "@/lib/config";

const store = globalThis as typeof globalThis & { __berthLogger?: pino.Logger };

/** The process-wide logger; secrets are redacted however deep they sit in a logged object. */
export function getLogger(): pino.Logger {
  store.__berthLogger ??= pino({
    level: getConfig().logLevel,
    base: { service: "berth" },
    redact: {
      paths: [
        "password",
        "*.password",
        "secret",
        "*.secret",
        "*.clientSecret",
        "token",
        "*.token",
        "*.access_token",
        "*.id_token",
        "*.refresh_token",
        "authorization",
        "*.authorization",
        "*.headers.cookie",
        "*.headers.authorization",
        "databaseUrl",
        "*.databaseUrl",
      ],
      censor: "[redacted]",
    },
  });
  return store.__berthLogger;
}

/** A connection string with its password removed, safe to print. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}
