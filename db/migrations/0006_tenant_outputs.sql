-- The template's outputs (Argo CD URL, API endpoint…) as rendered for a request, carried onto the
-- tenant when the request merges, for the access panel.
ALTER TABLE requests ADD COLUMN outputs jsonb NOT NULL DEFAULT '{}';
ALTER TABLE tenants ADD COLUMN outputs jsonb NOT NULL DEFAULT '{}';
