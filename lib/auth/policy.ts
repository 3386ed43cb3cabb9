// Personal sandboxes belong to their owner; for quotas, labels and the GitOps layout they sit in
// one built-in team that anyone signed in may request into (newcomers have no team yet).
export const SANDBOX_TEAM = "sandboxes";
