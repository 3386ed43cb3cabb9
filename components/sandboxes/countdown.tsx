"use client";
import { useEffect, useState } from "react";

function left(ms: number): string {
  if (ms <= 0) return "expired; removal is under way";
  const d = Math.floor(ms / 86_400_000);
  const h = Math.floor((ms % 86_400_000) / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  return d > 0 ? `${d} d ${h} h left` : h > 0 ? `${h} h ${m} min left` : `${m} min left`;
}

/** Time until a sandbox expires, ticking each minute; the exact time is in the tooltip and for screen readers. */
export function Countdown({ expiresAt }: { expiresAt: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(id);
  }, []);
  const at = new Date(expiresAt);
  return (
    <time dateTime={expiresAt} title={at.toUTCString()} data-testid="countdown">
      {left(at.getTime() - now)} <span className="sr-only">(expires {at.toUTCString()})</span>
    </time>
  );
}
