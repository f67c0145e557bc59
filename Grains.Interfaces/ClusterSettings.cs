using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace LeadScoring.Grains.Interfaces;

/// <summary>
/// How silos and clients find each other, read from the LEADSCORING_* environment variables. A client of the
/// cluster (the API, or another service using this contract) needs the same cluster id and PostgreSQL database
/// as the silos, or, in memory mode, the gateway port of the single local silo.
/// </summary>
public sealed record ClusterSettings(
    string? PostgresConnectionString,
    string ClusterId,
    string ServiceId,
    int SiloPort,
    int GatewayPort)
{
    public const string PostgresVariable = "LEADSCORING_POSTGRES";

    /// <summary>
    /// The schema owner's connection string, for migrations only; without it migrations run as
    /// <see cref="PostgresVariable"/>'s role (which then owns the tables, audit trail included).
    /// </summary>
    public const string OwnerVariable = "LEADSCORING_POSTGRES_OWNER";
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>PostgreSQL mode: clustering, grain state and reminders live in the database and survive restarts.</summary>
    public bool UsesPostgres => !string.IsNullOrWhiteSpace(PostgresConnectionString);

    public static ClusterSettings FromConfiguration(IConfiguration configuration) => new(
        configuration[PostgresVariable],
        configuration["LEADSCORING_CLUSTER_ID"] ?? "leadscoring",
        configuration["LEADSCORING_SERVICE_ID"] ?? "leadscoring",
        Port(configuration, "LEADSCORING_SILO_PORT", 11111),
        Port(configuration, "LEADSCORING_GATEWAY_PORT", 30000));

    /// <summary>The connection string migrations run with: the owner's when configured, else the product's.</summary>
    public static string? MigrationConnectionString(IConfiguration configuration) =>
        configuration[OwnerVariable] is { Length: > 0 } owner ? owner : configuration[PostgresVariable];

    public static int Port(IConfiguration configuration, string variable, int defaultPort)
    {
        var text = configuration[variable];
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultPort;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new InvalidOperationException($"{variable}='{text}' is not a TCP port (1-65535).");
    }
}
