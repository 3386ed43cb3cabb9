-- Runs of Berth's scheduled jobs (sandbox expiry, reminders), so platform admins can see that they run and what they did.
CREATE TABLE job_runs (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL,
  started_at  timestamptz NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now(),
  outcome     jsonb NOT NULL DEFAULT '{}',
  error       text
);
CREATE INDEX job_runs_name_idx ON job_runs (name, started_at DESC);
