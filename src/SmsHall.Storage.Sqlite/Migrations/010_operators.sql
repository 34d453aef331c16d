-- The operators' console: accounts (passwords as ASP.NET Core's hashes), their audit log, and the
-- Data Protection keys that sign the console's cookies and antiforgery tokens.
CREATE TABLE operators (
    name                 TEXT PRIMARY KEY,
    role                 TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    password_hash        TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    failed_sign_ins      INTEGER NOT NULL DEFAULT 0,
    locked_until         TEXT,              -- ISO 8601 UTC
    created_at           TEXT NOT NULL
);

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    operator TEXT,
    action   TEXT NOT NULL,
    detail   TEXT
);

CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE data_protection_keys (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    xml  TEXT NOT NULL
);
