using System.Data.Common;
using Npgsql;

namespace LeadScoring.Grains.Storage;

/// <summary>The silo's PostgreSQL connection settings.</summary>
public static class PostgresConnections
{
    /// <summary>
    /// The connection string with two Npgsql settings the silo's hot paths rely on, unless it sets them itself:
    /// statements used repeatedly are prepared automatically (PostgreSQL then skips parsing and planning them),
    /// and a connection returned to the pool is not reset (the silo keeps no session state, and the reset is a
    /// round trip per use: it was a third of all statements under load).
    /// </summary>
    public static string Tuned(string connectionString)
    {
        // Npgsql's own builder reports every setting it knows as present: ask a plain one what was written.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 64;
        }

        if (!given.ContainsKey("No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}
