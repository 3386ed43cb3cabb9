// Liveness: the process serves HTTP. Deliberately checks nothing else, so a database outage does not restart pods.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
