-- The operators' console: accounts (passwords as ASP.NET Core's hashes), their audit log, and the
-- Data Protection keys that sign the console's cookies and antiforgery tokens on every node.
CREATE TABLE operators (
    name                 text PRIMARY KEY,
    role                 text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    password_hash        text NOT NULL,
    must_change_password boolean NOT NULL DEFAULT false,
    failed_sign_ins      integer NOT NULL DEFAULT 0,
    locked_until         timestamptz,
    created_at           timestamptz NOT NULL
);

CREATE TABLE audit_log (
    id       bigserial PRIMARY KEY,
    at       timestamptz NOT NULL,
    operator text,
    action   text NOT NULL,
    detail   text
);

CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE data_protection_keys (
    id   bigserial PRIMARY KEY,
    name text NOT NULL,
    xml  text NOT NULL
);
