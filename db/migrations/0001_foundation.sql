-- Foundation: users, teams mapped to directory groups, memberships and an append-only audit log.

CREATE TABLE users (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- "<provider>:<sub>": the identity provider's stable subject, never the e-mail.
  subject         text NOT NULL UNIQUE,
  email           text,
  name            text NOT NULL,
  directory_groups text[] NOT NULL DEFAULT '{}',
  is_platform_admin boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE teams (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug         text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$'),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 80),
  description  text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TYPE team_role AS ENUM ('member', 'owner');

-- A directory group grants a role in a team; one group may serve several teams.
CREATE TABLE team_groups (
  team_id    uuid NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  group_id   text NOT NULL CHECK (length(group_id) BETWEEN 1 AND 256),
  role       team_role NOT NULL DEFAULT 'member',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, group_id)
);
CREATE INDEX team_groups_group_idx ON team_groups (group_id);

-- Derived from the token's groups at each sign-in and when a mapping changes.
CREATE TABLE memberships (
  team_id      uuid NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role         team_role NOT NULL,
  refreshed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

CREATE TABLE audit_events (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor_id     uuid,
  -- Kept verbatim so the record survives renames of the user.
  actor_label  text NOT NULL,
  action       text NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)+$'),
  subject_type text NOT NULL,
  subject_id   text NOT NULL,
  team_id      uuid,
  before       jsonb,
  after        jsonb,
  client_ip    inet,
  reason       text
);
CREATE INDEX audit_events_at_idx ON audit_events (at DESC, id DESC);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, at DESC);
CREATE INDEX audit_events_team_idx ON audit_events (team_id, at DESC);
CREATE INDEX audit_events_action_idx ON audit_events (action, at DESC);

-- Append-only in the database itself, whatever the application does.
CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
