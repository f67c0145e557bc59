-- Who did what, when, to which target and how it ended: one row per audited API call (see Api/Audit).
-- Append-only: the trigger refuses UPDATE and DELETE, and TRUNCATE is refused as well, so a row once
-- written stays as written. No personal data: lead targets are stored as a hash of workspace and lead id.
CREATE TABLE audit_log
(
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             timestamptz NOT NULL,
    workspace      text        NOT NULL,
    subject        text        NOT NULL,
    role           text        NOT NULL,
    action         text        NOT NULL,
    target         text,
    outcome        text        NOT NULL,
    status         integer     NOT NULL,
    request_id     text        NOT NULL,
    client_address text
);

-- Paging newest first within a workspace, optionally narrowed by action or subject.
CREATE INDEX audit_log_workspace_id ON audit_log (workspace, id DESC);
CREATE INDEX audit_log_workspace_target ON audit_log (workspace, target, id DESC);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
