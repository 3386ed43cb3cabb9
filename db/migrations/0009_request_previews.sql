-- What you preview is what you get. Every preview is kept for a while under the fingerprint of
-- the files it rendered; a submit names its preview by that fingerprint, Berth renders the
-- submitted values again under the preview's id and refuses when the files differ. The request
-- then takes the preview's id (it is in every rendered object's labels), so its pull request
-- carries byte for byte the files that were previewed.
CREATE TABLE request_previews (
  -- Becomes the request's id when the preview is submitted.
  id                uuid PRIMARY KEY,
  fingerprint       text NOT NULL UNIQUE CHECK (fingerprint ~ '^sha256:[0-9a-f]{64}$'),
  viewer_id         uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  action            request_action NOT NULL CHECK (action IN ('create', 'update')),
  -- The expiry the preview rendered into tenant.yaml (templates with a lifetime), reused on submit.
  tenant_expires_at timestamptz,
  -- Updates: fingerprint of the tenant's files in Git the preview's diff was made against.
  base_fingerprint  text,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX request_previews_created_idx ON request_previews (created_at);

-- The preview a request was submitted from (NULL: submitted without one, e.g. by a script).
ALTER TABLE requests ADD COLUMN preview_fingerprint text CHECK (preview_fingerprint ~ '^sha256:[0-9a-f]{64}$');
