// The session check and error mapping every /api/v1 route shares: proxy.ts does not cover /api,
// so each route checks the session itself, here, before anything else runs.
import "server-only";
import type { Viewer } from "@/lib/auth/viewer";
import { getViewer } from "@/lib/entry/session";
import { getLogger } from "@/lib/log";
import { AppError } from "@/lib/errors";
import { errorResponse } from "./respond";

export { parseWith, readJson } from "./body";

export type ApiContext<P> = { viewer: Viewer; request: Request; params: P };

/** Wraps a route handler: 401 without a session, one error shape for whatever it throws. */
export function withApiViewer<P extends Record<string, string> = Record<string, never>>(
  handler: (ctx: ApiContext<P>) => Promise<Response>,
) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    let viewerId: string | undefined;
    try {
      const viewer = await getViewer();
      if (!viewer)
        throw new AppError("unauthenticated", "Sign in to Berth first: the API uses the Berth session cookie.");
      viewerId = viewer.id;
      return await handler({ viewer, request, params: await context.params });
    } catch (err) {
      return errorResponse(err, getLogger(), {
        route: new URL(request.url).pathname,
        method: request.method,
        userId: viewerId,
      });
    }
  };
}
