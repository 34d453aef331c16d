-- The console's catalogue editor: each operator's unpublished draft, and the previews of drafts on
-- real traffic (state and result here, so any node shows a preview whichever node runs it).
CREATE TABLE catalogue_drafts (
    operator TEXT PRIMARY KEY,
    text     TEXT NOT NULL,
    saved_at TEXT NOT NULL               -- ISO 8601 UTC
);

CREATE TABLE catalogue_previews (
    id         INTEGER PRIMARY KEY,
    operator   TEXT NOT NULL,
    days       INTEGER NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    progress   REAL NOT NULL DEFAULT 0,
    phase      TEXT,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    error      TEXT,
    result     TEXT
);

CREATE INDEX catalogue_previews_operator ON catalogue_previews (operator, id);
-- One running preview per operator, whichever node starts it.
CREATE UNIQUE INDEX catalogue_previews_running ON catalogue_previews (operator) WHERE state = 'running';
