import { DEMO_USERS } from "./demo-users";

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

const style = `body{font-family:system-ui,sans-serif;background:#f4f6f8;color:#111827;margin:0;display:grid;
place-items:center;min-height:100vh}
main{background:#fff;border:1px solid #d1d5db;border-radius:12px;padding:2rem;max-width:28rem;width:calc(100% - 2rem)}
h1{font-size:1.25rem;margin:0 0 .25rem}p{color:#374151;margin:.25rem 0 1rem}
.warn{background:#fef3c7;color:#78350f;padding:.5rem .75rem;border-radius:8px;font-size:.875rem}
button{display:block;width:100%;text-align:left;padding:.75rem 1rem;margin:.5rem 0;border:1px solid #9ca3af;
border-radius:8px;background:#fff;font:inherit;cursor:pointer}
button:hover,button:focus-visible{border-color:#1d4ed8;outline:2px solid #1d4ed8;outline-offset:1px}
.who{font-weight:600}.what{font-size:.875rem;color:#4b5563}.deny{text-align:center;color:#991b1b;border-color:#fca5a5}`;

/** The dev provider's login page: pick a demo user, or deny to exercise the error path. */
export function renderLoginPage(uid: string, clientName: string): string {
  const buttons = DEMO_USERS.map(
    (u) => `<button type="submit" name="user" value="${esc(u.id)}" data-testid="demo-user-${esc(u.id)}">
  <span class="who">${esc(u.name)}</span><br>
  <span class="what">${esc(u.persona)} · groups: ${esc(u.groups ? u.groups.join(", ") : "(claim missing)")}</span></button>`,
  ).join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Berth development sign-in</title><style>${style}</style></head><body><main>
<h1>Development sign-in</h1><p>Sign in to <strong>${esc(clientName)}</strong> as a demo user.</p>
<p class="warn" role="note">This provider exists for local use and tests only. It has no passwords.</p>
<form method="post" action="/oidc/interaction/${esc(uid)}/login">${buttons}</form>
<form method="post" action="/oidc/interaction/${esc(uid)}/abort"><button class="deny" type="submit">Deny access</button></form>
</main></body></html>`;
}

export function renderErrorPage(title: string, detail: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${style}</style></head>
<body><main><h1>${esc(title)}</h1><p>${esc(detail)}</p><p><a href="/">Back to Berth</a></p></main></body></html>`;
}
