using Npgsql;

namespace LeadScoring.Common;

/// <summary>Tells a PostgreSQL that cannot serve now (a retry may succeed) from one that refused a statement (a bug).</summary>
public static class PostgresFailures
{
    /// <summary>
    /// True when the exception, or one it wraps, says PostgreSQL could not be reached or could not serve: the
    /// connection failed, broke or timed out (no server verdict), or the server answered with an error of class
    /// 08 (connection), 53 (insufficient resources, such as too many clients), 57 (shutting down, starting up,
    /// statement cancelled) or a serialization failure or deadlock.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres:
                    return postgres.SqlState is ['0', '8', ..] or ['5', '3', ..] or ['5', '7', ..] or "40001" or "40P01";
                case NpgsqlOperationInProgressException:
                    return false;
                case NpgsqlException:
                    return true;
            }
        }

        return false;
    }

    /// <summary>The server's refusal of a statement in the exception or one it wraps, if any.</summary>
    public static PostgresException? Refusal(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException postgres)
            {
                return postgres;
            }
        }

        return null;
    }
}
