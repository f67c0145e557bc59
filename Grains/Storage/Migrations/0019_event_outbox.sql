-- The transactional outbox: a lead's events are inserted by the statement that writes its change, so an event
-- exists exactly when its change committed. The relay gives each row its position when it publishes it
-- (one relay at a time, under the lease below); rows stay for the retention window so readers can resume.
CREATE TABLE event_outbox
(
    id           bigserial   NOT NULL PRIMARY KEY,
    event_id     text        NOT NULL,
    workspace    text        COLLATE "C" NOT NULL,
    lead_id      text        COLLATE "C",
    type         text        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    data         json        NOT NULL,
    position     bigint,
    published_at timestamptz
);

-- What the relay has still to publish, in write order.
CREATE INDEX event_outbox_unpublished ON event_outbox (id) WHERE position IS NULL;
-- Publication order; unique, so two relays that both believed they held the lease cannot both number a row.
CREATE UNIQUE INDEX event_outbox_position ON event_outbox (position) WHERE position IS NOT NULL;
-- A reader resuming after an event, a webhook retrying one: found by id.
CREATE INDEX event_outbox_event_id ON event_outbox (event_id);
-- An erasure deletes the lead's earlier events with it.
CREATE INDEX event_outbox_lead ON event_outbox (workspace, lead_id) WHERE lead_id IS NOT NULL;
-- Resuming a workspace's feed.
CREATE INDEX event_outbox_workspace_position ON event_outbox (workspace, position) WHERE position IS NOT NULL;

-- Who publishes: one silo at a time, until its lease runs out unrenewed.
CREATE TABLE event_relay_lease
(
    name       text        NOT NULL PRIMARY KEY,
    owner      text        NOT NULL,
    expires_at timestamptz NOT NULL
);
