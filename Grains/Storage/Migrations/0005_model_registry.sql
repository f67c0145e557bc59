-- The model registry: every trained model is a version of its workspace; one of them is the champion.

CREATE TABLE model_versions
(
    workspace          text        NOT NULL,
    number             integer     NOT NULL,
    version            text        NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    data_fingerprint   text        NOT NULL,
    report             jsonb       NOT NULL,
    artifact           bytea       NOT NULL,
    PRIMARY KEY (workspace, version),
    UNIQUE (workspace, number)
);

-- Every promotion in order. A rollback stamps the current champion's row; the champion is the latest
-- row of its workspace that was not rolled back.
CREATE TABLE model_promotions
(
    id          bigserial   PRIMARY KEY,
    workspace   text        NOT NULL,
    version     text        NOT NULL,
    previous    text        NULL,
    reason      text        NOT NULL,
    promoted_at timestamptz NOT NULL DEFAULT now(),
    rolled_back_at timestamptz NULL,
    FOREIGN KEY (workspace, version) REFERENCES model_versions (workspace, version)
);

CREATE INDEX ix_model_promotions_workspace ON model_promotions (workspace, id DESC);
