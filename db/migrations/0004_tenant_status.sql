-- Live status of tenants as read from the management cluster: the latest derived phase per
-- tenant, and every phase change with its time (pages render from here; history survives restarts).

CREATE TABLE tenant_status (
  tenant_id        uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  phase            text NOT NULL,
  message          text,
  -- The Argo CD Application's synced revision equals the merge commit of the tenant's last request.
  synced_to_change boolean NOT NULL DEFAULT false,
  revision         text,
  sync_status      text,
  health_status    text,
  operation_phase  text,
  -- Raw facts per source object (Application, vCluster workload, Cluster…), for the detail view.
  sources          jsonb NOT NULL DEFAULT '{}',
  -- When the cluster last told us something about this tenant.
  observed_at      timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tenant_status_phase_idx ON tenant_status (phase, observed_at);

CREATE TABLE tenant_status_history (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  phase      text NOT NULL,
  message    text,
  at         timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX tenant_status_history_tenant_idx ON tenant_status_history (tenant_id, id);
