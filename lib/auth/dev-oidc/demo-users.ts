// The demo identities of the development OIDC provider. Group names follow the dev
// defaults: prefix "berth-", admin group "berth-platform-admins".
// groups: undefined sends a token without the groups claim, to show that error path.
export type DemoUser = { id: string; name: string; email: string; groups: string[] | undefined; persona: string };

export const DEMO_USERS: DemoUser[] = [
  {
    id: "newcomer",
    name: "Nora Newcomer",
    email: "nora.newcomer@example.test",
    groups: ["berth-everyone"],
    persona: "Newcomer: first day, no team yet",
  },
  {
    id: "developer",
    name: "Dev Patel",
    email: "dev.patel@example.test",
    groups: ["berth-everyone", "berth-team-payments"],
    persona: "Developer in team payments",
  },
  {
    id: "owner",
    name: "Olivia Owner",
    email: "olivia.owner@example.test",
    groups: ["berth-everyone", "berth-team-payments-owners", "unrelated-mailing-list"],
    persona: "Team owner of payments",
  },
  {
    id: "admin",
    name: "Ada Admin",
    email: "ada.admin@example.test",
    groups: ["berth-everyone", "berth-platform-admins"],
    persona: "Platform admin",
  },
  {
    id: "no-groups",
    name: "Gus Groupless",
    email: "gus.groupless@example.test",
    groups: undefined,
    persona: "Misconfigured provider: token without a groups claim",
  },
];

// The team the developer and owner belong to; created on first start with the embedded defaults.
export const DEMO_TEAM = {
  slug: "payments",
  displayName: "Payments",
  description: "Demo team of the development sign-in provider.",
  groups: [
    { groupId: "berth-team-payments", role: "member" as const },
    { groupId: "berth-team-payments-owners", role: "owner" as const },
  ],
};

export function findDemoUser(id: string): DemoUser | undefined {
  return DEMO_USERS.find((u) => u.id === id);
}
