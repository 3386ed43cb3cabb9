import "server-only";
import pg from "pg";
import { getRuntime } from "@/lib/config";
import { STATUS_CHANNEL } from "@/lib/db/channels";
import { getLogger } from "@/lib/log";

type Listener = (tenant: string) => void;
type Hub = { listeners: Set<Listener>; client: pg.Client | null; connecting: Promise<void> | null };

const store = globalThis as typeof globalThis & { __berthStatusHub?: Hub };

// One LISTEN connection per process fans notifications out to every open event stream, so a
// hundred open pages cost one database connection, not a hundred.
function hub(): Hub {
  store.__berthStatusHub ??= { listeners: new Set(), client: null, connecting: null };
  return store.__berthStatusHub;
}

async function connect(h: Hub): Promise<void> {
  const client = new pg.Client({ connectionString: getRuntime().databaseUrl });
  client.on("notification", (msg) => {
    if (msg.channel !== STATUS_CHANNEL || !msg.payload) return;
    for (const l of h.listeners) l(msg.payload);
  });
  client.on("error", (err) => {
    getLogger().warn({ err: err.message }, "status listener lost its connection; reconnecting");
    h.client = null;
    h.connecting = null;
    setTimeout(() => void ensure(h), 1_000).unref();
  });
  await client.connect();
  await client.query(`LISTEN ${STATUS_CHANNEL}`);
  h.client = client;
}

function ensure(h: Hub): Promise<void> {
  if (h.client) return Promise.resolve();
  h.connecting ??= connect(h).catch((err) => {
    h.connecting = null;
    throw err;
  });
  return h.connecting;
}

/** Calls `listener` with the tenant name of every status or request change; returns the unsubscribe. */
export async function subscribeStatus(listener: Listener): Promise<() => void> {
  const h = hub();
  await ensure(h);
  h.listeners.add(listener);
  return () => h.listeners.delete(listener);
}
