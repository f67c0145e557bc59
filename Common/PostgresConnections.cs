using System.Data.Common;
using Npgsql;

namespace LeadScoring.Common;

/// <summary>
/// PostgreSQL connection settings of the silo and the API, and each pool's share of the process's connection
/// budget: whatever the load, a silo opens at most <see cref="SiloBudget"/> connections and an API process at
/// most <see cref="ApiBudget"/>, so a stock server (max_connections 100) holds a cluster of several silos. A
/// caller beyond its pool's size waits for a connection instead of failing (docs/operations.md).
/// </summary>
public static class PostgresConnections
{
    /// <summary>The silo's own stores: lead states and activities, score history, models, experiments, drift.</summary>
    public const int SiloStores = 20;

    /// <summary>Orleans' ADO.NET providers in one pool: grain storage, reminders and membership (silo or client).</summary>
    public const int OrleansProviders = 6;

    /// <summary>The API's audit log: its group commit and the audit reads.</summary>
    public const int ApiAudit = 4;

    /// <summary>The API's readiness check.</summary>
    public const int ApiReadiness = 2;

    public const int SiloBudget = SiloStores + OrleansProviders;

    public const int ApiBudget = ApiAudit + ApiReadiness + OrleansProviders;

    /// <summary>
    /// The connection string with the pool size given and two Npgsql settings the hot paths rely on, unless it
    /// sets them itself: statements used repeatedly are prepared automatically (PostgreSQL then skips parsing
    /// and planning them), and a connection returned to the pool is not reset (neither keeps session state, and
    /// the reset is a round trip per use: docs/performance.md, "Persistence").
    /// </summary>
    public static string Tuned(string connectionString, int maxPoolSize)
    {
        // Npgsql's own builder reports every setting it knows as present: ask a plain one what was written.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 64;
        }

        if (!given.ContainsKey("Maximum Pool Size") && !given.ContainsKey("Max Pool Size"))
        {
            builder.MaxPoolSize = maxPoolSize;
        }

        if (!given.ContainsKey("No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}
