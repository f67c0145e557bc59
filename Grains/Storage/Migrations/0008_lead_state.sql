-- Lead grains' state, written by LeadStateStorage with group commit (many leads' writes in one statement).
-- version is the ETag: a write must present the version it read, or it changes nothing.
-- Keyed by workspace and lead id, so erasing a lead or a workspace is a plain delete.
CREATE TABLE lead_state
(
    workspace   text        NOT NULL,
    lead_id     text        NOT NULL,
    payload     bytea       NOT NULL,
    version     integer     NOT NULL,
    modified_on timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace, lead_id)
);
