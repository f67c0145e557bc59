-- Each lead's recent scores: what the score was, with which model and what made the lead rescore.
-- The writer keeps at most LeadLimits.ScoreHistory rows per lead (older ones are deleted as new ones arrive).
CREATE TABLE score_history
(
    id                     bigint GENERATED ALWAYS AS IDENTITY,
    workspace              text             NOT NULL,
    lead_id                text             NOT NULL,
    scored_at              timestamptz      NOT NULL,
    overall_score          double precision NOT NULL,
    conversion_probability double precision NOT NULL,
    grade                  text             NOT NULL,
    model_version          text             NOT NULL,
    trigger                text             NOT NULL,
    PRIMARY KEY (workspace, lead_id, id)
);
