"use client";
import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Re-renders the page when the server says one of its tenants changed (server-sent events from
 * /api/events). The browser reconnects by itself; bursts are coalesced into one refresh.
 */
export function LiveUpdates({ tenants }: { tenants?: string[] }) {
  const router = useRouter();
  const key = tenants?.join(",") ?? "";
  useEffect(() => {
    const source = new EventSource(`/api/events${key ? `?tenants=${encodeURIComponent(key)}` : ""}`);
    let timer: ReturnType<typeof setTimeout> | null = null;
    source.addEventListener("status", () => {
      timer ??= setTimeout(() => {
        timer = null;
        router.refresh();
      }, 100);
    });
    return () => {
      if (timer) clearTimeout(timer);
      source.close();
    };
  }, [key, router]);
  return <span hidden data-testid="live-updates" />;
}
