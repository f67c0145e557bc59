namespace LeadScoring.Grains.Interfaces;

/// <summary>
/// The storage refused a statement for a reason other than being unavailable: a bug, since input is validated
/// before it reaches a grain. It carries PostgreSQL's error code and message across the silo boundary, which
/// the database's own exception types cannot cross.
/// </summary>
[GenerateSerializer, Alias("LeadScoring.StorageFailedException")]
public sealed class StorageFailedException : Exception
{
    public StorageFailedException(string message) : base(message)
    {
    }
}
