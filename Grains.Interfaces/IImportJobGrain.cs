namespace LeadScoring.Grains.Interfaces;

/// <summary>One import of a CRM export, keyed "{workspace}/{job_id}". The rows are stored off the grain's scheduler.</summary>
[Alias("LeadScoring.IImportJobGrain")]
public interface IImportJobGrain : IGrainWithStringKey
{
    /// <summary>
    /// Reads the export and, when it can be imported (its id and label columns exist, its column names can be
    /// attribute names), starts storing its rows; otherwise answers with the reasons and starts nothing. A job that
    /// already started answers with its status and starts nothing.
    /// </summary>
    [Alias("Start")]
    Task<ImportStart> Start(ImportRequest request);

    /// <summary>Null when no job with this id was ever started.</summary>
    [Alias("GetStatus")]
    Task<ImportJobStatus?> GetStatus();
}
