// Argo CD health checks (argocd-cm `resource.customizations.health.<group>_<kind>`, Lua) that keep a
// tenant from looking Healthy before its cluster is. Cluster API's `Cluster` needs none: Argo CD
// v3.6.1 ships resource_customizations/cluster.x-k8s.io/Cluster/health.lua (Provisioned phase, Ready
// condition by severity), and a customization here would freeze an old copy of it.

// Argo CD removed the built-in health of Applications in 1.8; this is the check its documentation
// gives for app-of-apps (docs/operator-manual/health.md, "Argocd App", Argo CD v3.6.1): the parent
// reports the child's own health, so a tenant is Healthy only when its Applications are.
const application = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

// Azure Service Operator v2 (v2.18.0, pkg/genruntime/conditions): the Ready condition is True once
// Azure has provisioned the resource; False with severity Info while it reconciles; Warning or Error
// when it failed (Error waits for the user). A Ready older than metadata.generation has not seen
// the latest change yet.
const asoResource = `local hs = { status = "Progressing", message = "Waiting for Azure Service Operator" }
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Ready" then
    if c.observedGeneration ~= nil and obj.metadata.generation ~= nil and c.observedGeneration < obj.metadata.generation then
      hs.message = "Waiting for Azure Service Operator to apply the latest change"
      return hs
    end
    if c.status == "True" then
      hs.status = "Healthy"
      hs.message = c.message or ""
    elseif c.severity == "Error" or c.severity == "Warning" then
      hs.status = "Degraded"
      hs.message = c.message or c.reason or ""
    else
      hs.message = c.message or c.reason or hs.message
    end
    return hs
  end
end
return hs
`;

// vSphere with Tanzu TanzuKubernetesCluster (run.tanzu.vmware.com/v1alpha3): status.phase is
// "running" once the cluster serves, "failed" on failure; its Ready condition follows Cluster API
// (severity Info while provisioning), read the way Argo CD's own Cluster API check reads it.
const tanzuCluster = `local hs = { status = "Progressing", message = "Waiting for the supervisor" }
if obj.status == nil then
  return hs
end
if obj.status.phase == "running" then
  hs.status = "Healthy"
  hs.message = "Cluster is running"
elseif obj.status.phase == "failed" then
  hs.status = "Degraded"
  hs.message = "Cluster failed"
end
if obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Ready" and c.status == "False" and c.severity ~= "Info" then
      hs.status = "Degraded"
      hs.message = c.message or c.reason or hs.message
      return hs
    end
  end
end
return hs
`;

/** The argocd-cm keys bootstrap/ sets; Argo CD names them by group and kind. */
export const HEALTH_CUSTOMIZATIONS: Record<string, string> = {
  "resource.customizations.health.argoproj.io_Application": application,
  "resource.customizations.health.containerservice.azure.com_ManagedCluster": asoResource,
  "resource.customizations.health.containerservice.azure.com_ManagedClustersAgentPool": asoResource,
  "resource.customizations.health.resources.azure.com_ResourceGroup": asoResource,
  "resource.customizations.health.run.tanzu.vmware.com_TanzuKubernetesCluster": tanzuCluster,
};
