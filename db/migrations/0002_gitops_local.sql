-- Pull requests of the built-in "local" GitOps provider (a bare Git repository on Berth's own
-- disk). The Git objects live in the repository; only the review records live here.

CREATE TABLE local_pull_requests (
  number           integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  head_branch      text NOT NULL CHECK (head_branch ~ '^[a-z0-9][a-z0-9._/-]{0,200}$'),
  base_branch      text NOT NULL CHECK (base_branch ~ '^[a-z0-9][a-z0-9._/-]{0,200}$'),
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  body             text NOT NULL DEFAULT '',
  labels           text[] NOT NULL DEFAULT '{}',
  state            text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'merged', 'closed')),
  -- Frozen when the request stops being open; an open one reads the live branch tip.
  head_sha         text CHECK (head_sha ~ '^[0-9a-f]{40,64}$'),
  merge_commit_sha text CHECK (merge_commit_sha ~ '^[0-9a-f]{40,64}$'),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  closed_at        timestamptz,
  CHECK ((state = 'merged') = (merge_commit_sha IS NOT NULL)),
  CHECK ((state = 'open') = (closed_at IS NULL))
);
-- One open pull request per branch, enforced by the database so concurrent opens cannot race.
CREATE UNIQUE INDEX local_pull_requests_open_head_idx ON local_pull_requests (head_branch) WHERE state = 'open';
CREATE INDEX local_pull_requests_head_idx ON local_pull_requests (head_branch, number DESC);

CREATE TABLE local_pull_request_comments (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  pull_request_number integer NOT NULL REFERENCES local_pull_requests(number) ON DELETE CASCADE,
  body                text NOT NULL CHECK (length(body) BETWEEN 1 AND 65536),
  created_at          timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX local_pull_request_comments_pr_idx ON local_pull_request_comments (pull_request_number, id);
