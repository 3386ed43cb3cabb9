// PostgreSQL LISTEN/NOTIFY channels. A transaction that changes what a tenant page shows (a request
// transition, a status observation) notifies with the tenant's name; lib/status/listener.ts fans
// it out to open pages. In the ground layer because writers and the listener live in different domains.
export const STATUS_CHANNEL = "berth_status";
