-- smshall catalogue publish|rollback: who published a version, and why.
ALTER TABLE catalogue_versions ADD COLUMN published_by TEXT;
ALTER TABLE catalogue_versions ADD COLUMN note TEXT;
