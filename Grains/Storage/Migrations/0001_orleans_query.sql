-- The ADO.NET providers of Orleans read every SQL statement they run from this table, by key.
-- Identifiers are unquoted (folded to lower case) because the providers name them in mixed case.
CREATE TABLE orleansquery
(
    querykey  varchar(64) NOT NULL PRIMARY KEY,
    querytext text        NOT NULL
);
