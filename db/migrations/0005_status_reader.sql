-- Whether the status reader (the replica holding the Lease) is watching, so every replica can
-- show status as stale while the watch is down instead of as healthy.
CREATE TABLE status_reader (
  id            integer PRIMARY KEY CHECK (id = 1),
  holder        text NOT NULL,
  connected     boolean NOT NULL,
  last_event_at timestamptz,
  error         text,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
