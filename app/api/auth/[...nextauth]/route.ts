// Auth.js endpoints (sign-in, callback, session); errors are rewritten to name their real cause.
import type { NextRequest } from "next/server";
import { handlers } from "@/lib/entry/auth";
import { withSignInErrors } from "@/lib/auth/sign-in-errors";

export const GET = (req: NextRequest) => withSignInErrors(req.url, () => handlers.GET(req));
export const POST = (req: NextRequest) => withSignInErrors(req.url, () => handlers.POST(req));
