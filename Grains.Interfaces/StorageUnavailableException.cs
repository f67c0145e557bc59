namespace LeadScoring.Grains.Interfaces;

/// <summary>
/// A grain could not reach its storage: PostgreSQL is down, restarting or out of connections. Nothing the call
/// asked for was acknowledged, and the same call may succeed once the database is back.
/// </summary>
[GenerateSerializer, Alias("LeadScoring.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException(string message) : base(message)
    {
    }
}
