-- Webhook endpoints, their delivery attempts and their pending retries. Secrets are sealed with the data key.
CREATE TABLE webhooks
(
    workspace                  text        COLLATE "C" NOT NULL,
    webhook_id                 text        COLLATE "C" NOT NULL,
    url                        text        NOT NULL,
    event_types                text[]      NOT NULL,
    filter_grades              text[],
    filter_min_score_change    double precision,
    description                text,
    enabled                    boolean     NOT NULL,
    disabled_reason            text,
    secret                     text        NOT NULL,
    previous_secret            text,
    previous_secret_expires_at timestamptz,
    failing_since              timestamptz,
    -- Every event of the workspace up to this outbox position was delivered or has its retry below.
    delivered_through          bigint      NOT NULL,
    created_at                 timestamptz NOT NULL,
    updated_at                 timestamptz NOT NULL,
    PRIMARY KEY (workspace, webhook_id)
);

CREATE TABLE webhook_deliveries
(
    id              bigserial        NOT NULL PRIMARY KEY,
    workspace       text             COLLATE "C" NOT NULL,
    webhook_id      text             COLLATE "C" NOT NULL,
    event_id        text             NOT NULL,
    event_type      text             NOT NULL,
    attempt         integer          NOT NULL,
    attempted_at    timestamptz      NOT NULL,
    status          integer,
    latency_ms      double precision NOT NULL,
    error           text,
    next_attempt_at timestamptz
);

CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (workspace, webhook_id, id);

CREATE TABLE webhook_retries
(
    workspace       text        COLLATE "C" NOT NULL,
    webhook_id      text        COLLATE "C" NOT NULL,
    event_id        text        NOT NULL,
    attempt         integer     NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    PRIMARY KEY (workspace, webhook_id, event_id)
);
