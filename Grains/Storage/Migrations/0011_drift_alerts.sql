-- Drift alerts: each time a workspace's drift level rises within a window, with the evidence (the reasons
-- and every feature's statistics) as JSON.
CREATE TABLE drift_alerts
(
    id            bigint GENERATED ALWAYS AS IDENTITY,
    workspace     text        NOT NULL,
    at            timestamptz NOT NULL,
    level         text        NOT NULL,
    model_version text        NOT NULL,
    reasons       jsonb       NOT NULL,
    evidence      jsonb       NOT NULL,
    PRIMARY KEY (workspace, id)
);
