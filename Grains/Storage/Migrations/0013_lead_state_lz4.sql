-- A lead that has acted carries up to 100 recent activities in its state, a few KB that PostgreSQL compresses
-- on every write. With pglz, the compression was the largest single item of PostgreSQL's CPU under activities
-- (8% in a profile with such leads); lz4 takes a fraction of that and stored these states about as small
-- (421 against 380 bytes on average). Values stay readable either way: each records how it was compressed.
-- A server built without lz4 keeps pglz.
DO
$$
BEGIN
    ALTER TABLE lead_state ALTER COLUMN payload SET COMPRESSION lz4;
EXCEPTION
    WHEN feature_not_supported THEN
        RAISE NOTICE 'lz4 is not available on this server: lead_state keeps pglz';
END;
$$;
