-- Every catalogue that passed its check, so a node starts from the last good one even when the
-- file on disk is rejected, missing or unreadable. source says where a version came from ('file'
-- for the watched commands.md); a later version of SmsHall publishes and rolls back versions too.
CREATE TABLE catalogue_versions (
    number    INTEGER PRIMARY KEY,
    hash      TEXT NOT NULL,
    source    TEXT NOT NULL,
    text      TEXT NOT NULL,
    loaded_at TEXT NOT NULL
);
CREATE INDEX catalogue_versions_source ON catalogue_versions (source, number);
