-- Tenants and the requests that create, change and decommission them; every request is a pull
-- request against the GitOps repository, tracked through one state machine.

CREATE TYPE tenant_lifecycle AS ENUM ('pending', 'active', 'decommissioning', 'deleted', 'abandoned');
CREATE TYPE request_action AS ENUM ('create', 'update', 'decommission');
CREATE TYPE request_state AS ENUM ('submitted', 'pr_open', 'approved', 'merged', 'rejected', 'cancelled', 'failed', 'deleting', 'deleted');

CREATE TABLE tenants (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name             text NOT NULL CHECK (name ~ '^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$' AND length(name) >= 3),
  team_id          uuid NOT NULL REFERENCES teams(id),
  owner_id         uuid NOT NULL REFERENCES users(id),
  kind             text NOT NULL,
  template_name    text NOT NULL,
  template_version text NOT NULL,
  parameters       jsonb NOT NULL,
  placement        text NOT NULL,
  node_pool        text,
  -- What the tenant counts against its team's quota (from the template's quota block).
  cpu_millis       integer NOT NULL DEFAULT 0 CHECK (cpu_millis >= 0),
  memory_mib       integer NOT NULL DEFAULT 0 CHECK (memory_mib >= 0),
  expires_at       timestamptz,
  lifecycle        tenant_lifecycle NOT NULL DEFAULT 'pending',
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
-- tenants/<name>/ is one folder in the GitOps repository: a name is taken until the tenant is gone.
CREATE UNIQUE INDEX tenants_live_name_idx ON tenants (name) WHERE lifecycle NOT IN ('deleted', 'abandoned');
CREATE INDEX tenants_team_idx ON tenants (team_id, lifecycle);
CREATE INDEX tenants_owner_idx ON tenants (owner_id, lifecycle);

CREATE TABLE requests (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL REFERENCES tenants(id),
  action           request_action NOT NULL,
  state            request_state NOT NULL DEFAULT 'submitted',
  requested_by     uuid NOT NULL REFERENCES users(id),
  template_name    text NOT NULL,
  template_version text NOT NULL,
  parameters       jsonb NOT NULL,
  placement        text NOT NULL,
  node_pool        text,
  cpu_millis       integer NOT NULL DEFAULT 0,
  memory_mib       integer NOT NULL DEFAULT 0,
  expires_at       timestamptz,
  -- The exact changes the pull request carries: [{path, content} | {path, delete: true}].
  changes          jsonb NOT NULL,
  auto_approve     boolean NOT NULL DEFAULT false,
  self_approval    boolean NOT NULL DEFAULT false,
  -- Derived from the id, so a retried job always finds the same branch and pull request.
  branch           text NOT NULL UNIQUE,
  pr_number        integer,
  pr_url           text,
  merge_commit_sha text,
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text,
  reason           text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (state IN ('submitted', 'failed', 'cancelled') OR pr_number IS NOT NULL)
);
CREATE INDEX requests_tenant_idx ON requests (tenant_id, created_at DESC);
CREATE INDEX requests_state_idx ON requests (state, updated_at);
CREATE INDEX requests_requester_idx ON requests (requested_by, created_at DESC);
-- At most one request in flight per tenant: changes queue behind each other, never race.
CREATE UNIQUE INDEX requests_one_open_per_tenant_idx ON requests (tenant_id) WHERE state IN ('submitted', 'pr_open', 'approved');

CREATE TABLE request_transitions (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  request_id  uuid NOT NULL REFERENCES requests(id),
  from_state  request_state,
  to_state    request_state NOT NULL,
  actor_id    uuid,
  actor_label text NOT NULL,
  reason      text,
  at          timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX request_transitions_request_idx ON request_transitions (request_id, id);

CREATE TABLE team_quotas (
  team_id     uuid PRIMARY KEY REFERENCES teams(id) ON DELETE CASCADE,
  max_tenants integer NOT NULL CHECK (max_tenants >= 0),
  max_cpu_millis integer NOT NULL CHECK (max_cpu_millis >= 0),
  max_memory_mib integer NOT NULL CHECK (max_memory_mib >= 0),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
