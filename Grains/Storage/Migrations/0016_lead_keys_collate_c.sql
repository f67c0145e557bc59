-- The tables that grow with the leads key their rows by identifiers (workspace, lead id, experiment id, and the
-- audit's hashed target): opaque strings that are compared on every write and read, and never sorted for a person.
-- Under the database's default collation their b-tree comparisons could go through the C library's strcoll (a
-- locale such as C.UTF-8 or en_US.UTF-8 is not treated as "C"), and their indexes depended on the C library's
-- collation version: an OS upgrade that changes it can silently corrupt text indexes. With COLLATE "C" they
-- compare byte for byte and are immune to that. (Under activities, strcoll and its callers were about 1.5% of
-- PostgreSQL's CPU samples; the change in CPU per activity was within run-to-run noise.)
-- Equality is unchanged: every one of these is an exact-match key. No table is rewritten; the indexes on these
-- columns are rebuilt, under an exclusive lock, once.
ALTER TABLE lead_state
    ALTER COLUMN workspace TYPE text COLLATE "C",
    ALTER COLUMN lead_id TYPE text COLLATE "C";

ALTER TABLE lead_activity
    ALTER COLUMN workspace TYPE text COLLATE "C",
    ALTER COLUMN lead_id TYPE text COLLATE "C";

ALTER TABLE lead_activity_ids
    ALTER COLUMN workspace TYPE text COLLATE "C",
    ALTER COLUMN lead_id TYPE text COLLATE "C";

ALTER TABLE score_history
    ALTER COLUMN workspace TYPE text COLLATE "C",
    ALTER COLUMN lead_id TYPE text COLLATE "C";

ALTER TABLE training_snapshots
    ALTER COLUMN workspace TYPE text COLLATE "C",
    ALTER COLUMN lead_id TYPE text COLLATE "C";

ALTER TABLE experiment_exposures
    ALTER COLUMN workspace TYPE text COLLATE "C",
    ALTER COLUMN experiment_id TYPE text COLLATE "C",
    ALTER COLUMN lead_id TYPE text COLLATE "C";

ALTER TABLE audit_log
    ALTER COLUMN workspace TYPE text COLLATE "C",
    ALTER COLUMN target TYPE text COLLATE "C";
