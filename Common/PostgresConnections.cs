using System.Data.Common;
using Npgsql;

namespace LeadScoring.Common;

/// <summary>PostgreSQL connection settings of the silo and the API.</summary>
public static class PostgresConnections
{
    /// <summary>
    /// The connection string with two Npgsql settings the hot paths rely on, unless it sets them itself:
    /// statements used repeatedly are prepared automatically (PostgreSQL then skips parsing and planning them),
    /// and a connection returned to the pool is not reset (neither keeps session state, and the reset is a
    /// round trip per use: docs/performance.md, "Persistence").
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
