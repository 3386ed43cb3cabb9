import { isIP } from "node:net";

// Set by server.ts from the socket, overwriting anything a client sent under that name.
export const CLIENT_IP_HEADER = "x-berth-client-ip";

/** The caller's IP for audit events; X-Forwarded-For is believed only behind a trusted proxy. */
export function clientIpFrom(headers: Headers, trustProxy: boolean): string | null {
  if (trustProxy) {
    const first = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (first && isIP(first)) return first;
  }
  const direct = headers.get(CLIENT_IP_HEADER)?.replace(/^::ffff:/, "");
  return direct && isIP(direct) ? direct : null;
}
