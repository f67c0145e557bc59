-- The activity ids a lead remembers (as 64-bit hashes, so that a retried activity is not counted twice), in
-- chunks of LeadLimits.ActivityIdChunk written once each by LeadStateStorage with the state write that fills
-- them. They were a list inside lead_state.payload, rewritten by every change: a lead that had taken 1,000
-- ids wrote about 10 KB of state per activity, and one at the 10,000 it remembers about 90 KB, which
-- PostgreSQL TOASTs and WAL-logs in full (1.1 ms of its CPU and 118 KB of WAL per update, against 22 us and
-- 1 KB for a state of 800 bytes). The state now carries only the ids of the chunk being filled. hashes holds
-- the chunk's hashes as 8-byte little-endian integers, oldest first; chunk numbers count up from 0 per lead,
-- and the write that stores a chunk deletes those older than the newest LeadLimits.StoredActivityIdChunks.
CREATE TABLE lead_activity_ids
(
    workspace text    NOT NULL,
    lead_id   text    NOT NULL,
    chunk     integer NOT NULL,
    hashes    bytea   NOT NULL,
    PRIMARY KEY (workspace, lead_id, chunk)
);
