// What an Argo CD AppProject lets an Application deploy, decided the way Argo CD v3.6.1 decides it
// (pkg/apis/application/v1alpha1: IsGroupKindNamePermitted and isNamedResourceInList match group,
// kind and name with Go's filepath.Match; destinations match server/name and namespace as globs).
export type AppProjectSpec = {
  sourceRepos?: string[];
  sourceNamespaces?: string[];
  destinations?: { server?: string; name?: string; namespace?: string }[];
  clusterResourceWhitelist?: { group: string; kind: string; name?: string }[];
};

/** Go's filepath.Match on "/"-free patterns: * and ? stop at "/", [...] is a class. */
export function globMatch(pattern: string, value: string): boolean {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) return false;
      re += `[${pattern
        .slice(i + 1, end)
        .replace(/^\^/, "^")
        .replace(/\\/g, "\\\\")}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`).test(value);
}

export function permitsClusterResource(p: AppProjectSpec, group: string, kind: string, name: string): boolean {
  return (p.clusterResourceWhitelist ?? []).some(
    (w) => globMatch(w.kind, kind) && globMatch(w.group, group) && (!w.name || globMatch(w.name, name)),
  );
}

export function permitsDestination(
  p: AppProjectSpec,
  dest: { server?: string; name?: string },
  namespace: string,
): boolean {
  return (p.destinations ?? []).some((d) => {
    const cluster =
      d.server !== undefined
        ? dest.server !== undefined && globMatch(d.server, dest.server)
        : d.name !== undefined && dest.name !== undefined && globMatch(d.name, dest.name);
    return cluster && globMatch(d.namespace ?? "", namespace);
  });
}
