-- A/B tests of scoring models (see Grains/Experiments). record holds the definition, status and the
-- sequential p-values' running minimum as JSON; exposures are one row per lead and experiment.
CREATE TABLE experiments
(
    workspace     text        NOT NULL,
    experiment_id text        NOT NULL,
    record        jsonb       NOT NULL,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (workspace, experiment_id)
);

-- Which variant each lead saw, and its outcome once recorded. The key makes a repeated exposure a no-op;
-- the second index serves outcome attribution and erasure, which look leads up across experiments.
CREATE TABLE experiment_exposures
(
    workspace     text             NOT NULL,
    experiment_id text             NOT NULL,
    lead_id       text             NOT NULL,
    variant       text             NOT NULL,
    exposed_at    timestamptz      NOT NULL,
    converted     boolean,
    deal_value    double precision,
    PRIMARY KEY (workspace, experiment_id, lead_id)
);

CREATE INDEX experiment_exposures_lead ON experiment_exposures (workspace, lead_id);
