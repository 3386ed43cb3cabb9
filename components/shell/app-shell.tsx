import { Anchor, LogOut } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { signOutAction } from "@/lib/entry/actions/auth";
import { can } from "@/lib/auth/policy";
import type { Viewer } from "@/lib/auth/viewer";
import { UnreadBadge } from "@/components/notifications/unread-badge";
import { NavLinks, type NavItem } from "./nav-links";

export function AppShell({ viewer, unread, children }: { viewer: Viewer; unread: number; children: ReactNode }) {
  const items: NavItem[] = [
    { href: "/", label: "Home" },
    { href: "/catalog", label: "Catalog" },
    { href: "/requests", label: "Requests" },
    ...(can(viewer, "admin.pages")
      ? [
          { href: "/approvals", label: "Approvals" },
          { href: "/fleet", label: "Fleet" },
          { href: "/sandboxes", label: "Sandboxes" },
          { href: "/templates", label: "Templates" },
          { href: "/gitops", label: "GitOps" },
        ]
      : []),
    { href: "/teams", label: "Teams" },
    { href: "/audit", label: "Audit" },
    { href: "/inbox", label: "Inbox" },
  ];
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-surface focus:p-2"
      >
        Skip to content
      </a>
      <header className="border-b border-border bg-surface">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link href="/" className="flex items-center gap-2 font-semibold">
            <Anchor aria-hidden className="size-5 text-primary" /> Berth
          </Link>
          <nav aria-label="Main" className="flex-1">
            <NavLinks items={items} />
          </nav>
          <div className="flex items-center gap-3 text-sm">
            <span>
              <UnreadBadge unread={unread} />{" "}
              <span className="font-medium" data-testid="viewer-name">
                {viewer.name}
              </span>
              {can(viewer, "admin.pages") ? (
                <span className="ml-2 rounded bg-warning-soft px-1.5 py-0.5 text-xs text-warning">platform admin</span>
              ) : null}
            </span>
            <form action={signOutAction}>
              <Button variant="outline" size="sm" type="submit">
                <LogOut aria-hidden /> Sign out
              </Button>
            </form>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        {children}
      </main>
    </div>
  );
}
