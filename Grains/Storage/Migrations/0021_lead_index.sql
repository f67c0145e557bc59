-- The lead index: each lead's headline, kept by LeadIndexGrain from the events, for lists and summaries.
CREATE SEQUENCE lead_index_position;

CREATE TABLE lead_index
(
    workspace         text             COLLATE "C" NOT NULL,
    lead_id           text             COLLATE "C" NOT NULL,
    overall_score     double precision,
    probability       double precision,
    grade             text,
    trend             text,
    model_version     text,
    scored_at         timestamptz,
    created_at        timestamptz      NOT NULL,
    updated_at        timestamptz      NOT NULL,
    profiling_consent boolean          NOT NULL,
    marketing_consent boolean          NOT NULL,
    converted         boolean,
    attributes        jsonb            NOT NULL,
    -- The index position this line was written at (lead_index_position).
    position          bigint           NOT NULL,
    PRIMARY KEY (workspace, lead_id)
);

-- A lead without a score sorts as -1: below every score, in one key that keyset paging can walk.
CREATE INDEX lead_index_by_score ON lead_index (workspace, (coalesce(overall_score, -1)), lead_id);
CREATE INDEX lead_index_by_updated_at ON lead_index (workspace, updated_at, lead_id);

-- Lines replaced in the last minutes, with the position that replaced them: a page after the first reads the
-- index as it was when the first was read, so paging under concurrent change neither skips nor repeats a lead.
CREATE TABLE lead_index_replaced
(
    LIKE lead_index,
    replaced_at_position bigint      NOT NULL,
    replaced_at          timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX lead_index_replaced_by_score ON lead_index_replaced (workspace, (coalesce(overall_score, -1)), lead_id);
CREATE INDEX lead_index_replaced_by_updated_at ON lead_index_replaced (workspace, updated_at, lead_id);
CREATE INDEX lead_index_replaced_at ON lead_index_replaced (workspace, replaced_at);

-- Through which outbox position each workspace's index has taken the events, and until when it keeps replaced
-- lines (a list is being paged).
CREATE TABLE lead_index_progress
(
    workspace       text        COLLATE "C" NOT NULL PRIMARY KEY,
    indexed_through bigint      NOT NULL DEFAULT 0,
    paging_until    timestamptz
);
