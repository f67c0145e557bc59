-- A lead's recent activities as rows of their own, written by LeadStateStorage with the state write that
-- accepted them (only if that write succeeds). They were part of lead_state.payload, so every activity
-- rewrote all of them (up to 100, several KB with URLs and ids), which PostgreSQL then compressed,
-- TOASTed and WAL-logged again. received is the lead's own activity count when it took the activity
-- (negative for activities converted from a state written before this table): with occurred_at it orders
-- the rows as the lead's list is ordered, newest occurrence first, then in the order received.
-- The lead deletes all but its newest 100 once it holds 200 (LeadLimits.StoredRecentActivities).
CREATE TABLE lead_activity
(
    workspace   text        NOT NULL,
    lead_id     text        NOT NULL,
    received    bigint      NOT NULL,
    occurred_at timestamptz NOT NULL,
    payload     bytea       NOT NULL,
    PRIMARY KEY (workspace, lead_id, received)
);
