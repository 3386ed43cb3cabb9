import { Badge } from "@/components/ui/badge";

/** The viewer's unread count for the navigation (read by the layout); renders nothing when the inbox is read. */
export function UnreadBadge({ unread }: { unread: number }) {
  if (unread === 0) return null;
  return (
    <Badge
      className="border-transparent bg-primary text-primary-foreground"
      data-testid="unread-badge"
      aria-label={`${unread} unread notification${unread === 1 ? "" : "s"}`}
    >
      {unread > 99 ? "99+" : unread}
    </Badge>
  );
}
