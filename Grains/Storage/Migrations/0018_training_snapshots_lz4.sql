-- A training snapshot holds the lead's attributes and features as JSON, a few KB for an export with dozens of
-- columns, which PostgreSQL compresses on every write. An import writes thousands a second, and pglz was then most
-- of PostgreSQL's CPU per imported outcome (docs/performance.md, "Import"); lz4 takes a fraction of that. As for
-- lead_state (0013): values stay readable either way, and a server built without lz4 keeps pglz.
DO
$$
BEGIN
    ALTER TABLE training_snapshots ALTER COLUMN attributes SET COMPRESSION lz4,
                                   ALTER COLUMN features SET COMPRESSION lz4;
EXCEPTION
    WHEN feature_not_supported THEN
        RAISE NOTICE 'lz4 is not available on this server: training_snapshots keeps pglz';
END;
$$;
