using LeadScoring.Common;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Grains;

/// <summary>
/// Turns a storage failure inside a grain call into an exception of the project's own, which Orleans can send
/// back to the caller: the database's exception types have no Orleans codec, and what arrived instead was an
/// error the API could only answer with 500. Unavailable (PostgreSQL down, restarting, out of connections) lets
/// the API answer 503 with Retry-After; anything else PostgreSQL refused is a bug and keeps its code and message.
/// </summary>
public sealed class StorageFailureFilter : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        var call = context.Invoke();
        return call.IsCompletedSuccessfully ? call : Translated(call);
    }

    private static async Task Translated(Task call)
    {
        try
        {
            await call;
        }
        catch (Exception e) when (Translate(e) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>The project's own exception for a storage failure, or null when <paramref name="e"/> is not one.</summary>
    public static Exception? Translate(Exception e) =>
        e is StorageUnavailableException or StorageFailedException ? null
        : PostgresFailures.IsUnavailable(e) ? new StorageUnavailableException($"The database is unavailable: {e.Message}")
        : PostgresFailures.Refusal(e) is { } refusal ? new StorageFailedException($"PostgreSQL refused a statement ({refusal.SqlState}): {refusal.MessageText}")
        : null;
}
