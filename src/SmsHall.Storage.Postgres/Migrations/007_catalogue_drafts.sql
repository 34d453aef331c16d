-- The console's catalogue editor: each operator's unpublished draft, and the previews of drafts on
-- real traffic (state and result here, so any node shows a preview whichever node runs it).
CREATE TABLE catalogue_drafts (
    operator text PRIMARY KEY,
    text     text NOT NULL,
    saved_at timestamptz NOT NULL
);

CREATE TABLE catalogue_previews (
    id         bigserial PRIMARY KEY,
    operator   text NOT NULL,
    days       integer NOT NULL,
    state      text NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    progress   double precision NOT NULL DEFAULT 0,
    phase      text,
    started_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    error      text,
    result     text
);

CREATE INDEX catalogue_previews_operator ON catalogue_previews (operator, id);
-- One running preview per operator, whichever node starts it.
CREATE UNIQUE INDEX catalogue_previews_running ON catalogue_previews (operator) WHERE state = 'running';
