-- The catalogue version a draft began from: publishing it after another editor published is refused
-- unless the operator says so, rather than silently undoing the other's change.
ALTER TABLE catalogue_drafts ADD COLUMN base_version bigint;
