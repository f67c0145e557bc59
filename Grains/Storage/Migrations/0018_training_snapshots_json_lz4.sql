-- A training snapshot holds the lead's attributes and features as JSON, a few KB for an export with dozens of
-- columns. An import writes thousands a second, and PostgreSQL's work per snapshot was most of its CPU per imported
-- outcome (docs/performance.md, "Import"). Two changes cut it: json instead of jsonb (the snapshots are only ever
-- read whole, as text, so parsing them into jsonb on every write bought nothing; the same text is kept), and lz4
-- instead of pglz for their compression. As for lead_state (0013): values stay readable either way, and a server
-- built without lz4 keeps pglz.
ALTER TABLE training_snapshots
    ALTER COLUMN attributes TYPE json USING attributes::json,
    ALTER COLUMN features TYPE json USING features::json;

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
