// Berth's process: `tsx server.ts` (npm start, npm run dev, the e2e web servers). lib/ is loaded
// only after the server-only hook is in place; lib/entry/server.ts does the work.
import "@/lib/entry/server-only-hook";

const { serve } = await import("@/lib/entry/server");
await serve();
