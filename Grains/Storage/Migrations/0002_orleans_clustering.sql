-- Cluster membership for Microsoft.Orleans.Clustering.AdoNet (Orleans 10.x).
-- Parameter names (@DeploymentId, @Version, ...) and result column names are the provider's contract.

CREATE TABLE orleansmembershipversiontable
(
    deploymentid varchar(150)   NOT NULL PRIMARY KEY,
    timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    version      integer        NOT NULL DEFAULT 0
);

CREATE TABLE orleansmembershiptable
(
    deploymentid varchar(150)   NOT NULL REFERENCES orleansmembershipversiontable (deploymentid),
    address      varchar(45)    NOT NULL,
    port         integer        NOT NULL,
    generation   integer        NOT NULL,
    siloname     varchar(150)   NOT NULL,
    hostname     varchar(150)   NOT NULL,
    status       integer        NOT NULL,
    proxyport    integer        NULL,
    suspecttimes varchar(8000)  NULL,
    starttime    timestamptz(3) NOT NULL,
    iamalivetime timestamptz(3) NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

-- A membership change succeeds only against the table version the silo read (optimistic concurrency).
-- The version row is locked first, so of two concurrent writers holding the same version exactly one wins
-- and the other changes nothing.
CREATE FUNCTION leadscoring_membership_lock_version(p_deployment_id text, p_version integer)
    RETURNS boolean
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM 1 FROM orleansmembershipversiontable
     WHERE deploymentid = p_deployment_id AND version = p_version
       FOR UPDATE;
    RETURN FOUND;
END
$$;

CREATE FUNCTION leadscoring_membership_bump_version(p_deployment_id text)
    RETURNS void
    LANGUAGE sql AS
$$
    UPDATE orleansmembershipversiontable
       SET version = version + 1, timestamp = now()
     WHERE deploymentid = p_deployment_id;
$$;

CREATE FUNCTION leadscoring_membership_insert(
    p_deployment_id text, p_address text, p_port integer, p_generation integer,
    p_silo_name text, p_host_name text, p_status integer, p_proxy_port integer,
    p_start_time timestamptz, p_i_am_alive_time timestamptz, p_version integer)
    RETURNS integer
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NOT leadscoring_membership_lock_version(p_deployment_id, p_version) THEN
        RETURN 0;
    END IF;

    INSERT INTO orleansmembershiptable
        (deploymentid, address, port, generation, siloname, hostname, status, proxyport, starttime, iamalivetime)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port,
         p_start_time, p_i_am_alive_time)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    PERFORM leadscoring_membership_bump_version(p_deployment_id);
    RETURN 1;
END
$$;

CREATE FUNCTION leadscoring_membership_update(
    p_deployment_id text, p_address text, p_port integer, p_generation integer,
    p_status integer, p_suspect_times text, p_i_am_alive_time timestamptz, p_version integer)
    RETURNS integer
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NOT leadscoring_membership_lock_version(p_deployment_id, p_version) THEN
        RETURN 0;
    END IF;

    UPDATE orleansmembershiptable
       SET status = p_status, suspecttimes = p_suspect_times, iamalivetime = p_i_am_alive_time
     WHERE deploymentid = p_deployment_id AND address = p_address AND port = p_port AND generation = p_generation;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    PERFORM leadscoring_membership_bump_version(p_deployment_id);
    RETURN 1;
END
$$;

INSERT INTO orleansquery (querykey, querytext) VALUES
('InsertMembershipVersionKey', '
WITH inserted AS (
    INSERT INTO orleansmembershipversiontable (deploymentid) VALUES (@DeploymentId)
    ON CONFLICT DO NOTHING
    RETURNING 1)
SELECT count(*)::integer FROM inserted;'),

('InsertMembershipKey', '
SELECT leadscoring_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
    @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);'),

('UpdateMembershipKey', '
SELECT leadscoring_membership_update(@DeploymentId, @Address, @Port, @Generation, @Status,
    @SuspectTimes, @IAmAliveTime, @Version);'),

('UpdateIAmAlivetimeKey', '
UPDATE orleansmembershiptable SET iamalivetime = @IAmAliveTime
 WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation;'),

('MembershipReadRowKey', '
SELECT v.deploymentid, m.address, m.port, m.generation, m.siloname, m.hostname, m.status, m.proxyport,
       m.suspecttimes, m.starttime, m.iamalivetime, v.version
  FROM orleansmembershipversiontable v
  LEFT JOIN orleansmembershiptable m
    ON m.deploymentid = v.deploymentid
   AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
 WHERE v.deploymentid = @DeploymentId;'),

('MembershipReadAllKey', '
SELECT v.deploymentid, m.address, m.port, m.generation, m.siloname, m.hostname, m.status, m.proxyport,
       m.suspecttimes, m.starttime, m.iamalivetime, v.version
  FROM orleansmembershipversiontable v
  LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
 WHERE v.deploymentid = @DeploymentId;'),

('DeleteMembershipTableEntriesKey', '
DELETE FROM orleansmembershiptable WHERE deploymentid = @DeploymentId;
DELETE FROM orleansmembershipversiontable WHERE deploymentid = @DeploymentId;'),

('GatewaysQueryKey', '
SELECT address, proxyport, generation
  FROM orleansmembershiptable
 WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0;'),

-- Only dead silos (status 6) are ever removed, and only once they stopped reporting before the cut-off.
('CleanupDefunctSiloEntriesKey', '
DELETE FROM orleansmembershiptable
 WHERE deploymentid = @DeploymentId AND status = 6
   AND iamalivetime < @IAmAliveTime AND starttime < @IAmAliveTime;'),

('CleanupDefunctSiloEntryKey', '
DELETE FROM orleansmembershiptable
 WHERE deploymentid = @DeploymentId AND status = 6
   AND address = @Address AND port = @Port AND generation = @Generation;');
