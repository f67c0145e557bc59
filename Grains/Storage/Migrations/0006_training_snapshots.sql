-- What a lead looked like when its outcome was recorded: the point-in-time rows training from history uses.
CREATE TABLE training_snapshots
(
    workspace   text        NOT NULL,
    lead_id     text        NOT NULL,
    recorded_at timestamptz NOT NULL,
    converted   boolean     NOT NULL,
    deal_value  double precision NULL,
    closed_at   timestamptz NULL,
    attributes  jsonb       NOT NULL,
    features    jsonb       NOT NULL,
    PRIMARY KEY (workspace, lead_id)
);
