-- Grain state for Microsoft.Orleans.Persistence.AdoNet (Orleans 10.x), binary payloads only.
-- A row is one grain's state under one state name ("graintypestring" carries the state name).
-- version is the ETag: every write must present the version it read, or it changes nothing.

CREATE TABLE orleansstorage
(
    grainidhash            integer        NOT NULL,
    grainidn0              bigint         NOT NULL,
    grainidn1              bigint         NOT NULL,
    graintypehash          integer        NOT NULL,
    graintypestring        varchar(512)   NOT NULL,
    grainidextensionstring varchar(512)   NOT NULL DEFAULT '',
    serviceid              varchar(150)   NOT NULL,
    payloadbinary          bytea          NULL,
    modifiedon             timestamptz    NOT NULL DEFAULT now(),
    version                integer        NOT NULL,
    PRIMARY KEY (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring)
);

CREATE INDEX ix_orleansstorage_hash ON orleansstorage (grainidhash, graintypehash);

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadFromStorageKey', '
SELECT payloadbinary, version
  FROM orleansstorage
 WHERE serviceid = @ServiceId AND graintypestring = @GrainTypeString
   AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
   AND grainidextensionstring = coalesce(@GrainIdExtensionString, '''');'),

-- A null @GrainStateVersion means "never written": the insert wins only if no row exists.
-- The returned version equals the presented one when nothing was written, which Orleans reports as a conflict.
('WriteToStorageKey', '
WITH updated AS (
    UPDATE orleansstorage
       SET payloadbinary = @PayloadBinary, version = version + 1, modifiedon = now()
     WHERE @GrainStateVersion::integer IS NOT NULL
       AND serviceid = @ServiceId AND graintypestring = @GrainTypeString
       AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
       AND grainidextensionstring = coalesce(@GrainIdExtensionString, '''')
       AND version = @GrainStateVersion::integer
    RETURNING version),
inserted AS (
    INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring,
                                grainidextensionstring, serviceid, payloadbinary, version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
           coalesce(@GrainIdExtensionString, ''''), @ServiceId, @PayloadBinary, 1
     WHERE @GrainStateVersion::integer IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version)
SELECT coalesce((SELECT version FROM updated), (SELECT version FROM inserted), @GrainStateVersion::integer)
       AS newgrainstateversion;'),

('ClearStorageKey', '
WITH cleared AS (
    UPDATE orleansstorage
       SET payloadbinary = NULL, version = version + 1, modifiedon = now()
     WHERE serviceid = @ServiceId AND graintypestring = @GrainTypeString
       AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
       AND grainidextensionstring = coalesce(@GrainIdExtensionString, '''')
       AND version = @GrainStateVersion::integer
    RETURNING version)
SELECT coalesce((SELECT version FROM cleared), @GrainStateVersion::integer) AS newgrainstateversion;'),

-- Used when a storage is configured with DeleteStateOnClear: the row goes, and the ETag is reset.
('DeleteStorageKey', '
WITH deleted AS (
    DELETE FROM orleansstorage
     WHERE serviceid = @ServiceId AND graintypestring = @GrainTypeString
       AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
       AND grainidextensionstring = coalesce(@GrainIdExtensionString, '''')
       AND version = @GrainStateVersion::integer
    RETURNING version)
SELECT CASE WHEN EXISTS (SELECT 1 FROM deleted) THEN NULL ELSE @GrainStateVersion::integer END
       AS newgrainstateversion;');
