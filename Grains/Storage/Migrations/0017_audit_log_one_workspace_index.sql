-- Every audited call inserts a row, and an entry in each of the table's indexes: three of the five index
-- entries an activity wrote (index entries were about a sixth of an activity's WAL). Two of the audit's three
-- indexes served one purpose: the primary key on id, which no query reads by, and (workspace, id DESC), which
-- pages a workspace's trail newest first. The primary key is now (workspace, id), which pages the same way
-- (scanned backwards), and the separate index goes. The id stays unique: it is an identity column, and the key
-- still holds it.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey;
DROP INDEX audit_log_workspace_id;
ALTER TABLE audit_log ADD PRIMARY KEY (workspace, id);
