-- Automatic retraining: every decision (promoted, candidate, skipped, failed) with both models' metrics as JSON.
CREATE TABLE retraining_decisions
(
    id        bigint GENERATED ALWAYS AS IDENTITY,
    workspace text        NOT NULL,
    at        timestamptz NOT NULL,
    decision  jsonb       NOT NULL,
    PRIMARY KEY (workspace, id)
);
