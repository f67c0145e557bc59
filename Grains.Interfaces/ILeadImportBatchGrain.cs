namespace LeadScoring.Grains.Interfaces;

/// <summary>
/// Imports many rows of one workspace inside the cluster, each into its lead grain. A stateless worker: every
/// silo runs as many as it needs.
/// </summary>
[Alias("LeadScoring.ILeadImportBatchGrain")]
public interface ILeadImportBatchGrain : IGrainWithIntegerKey
{
    /// <returns>
    /// One result per row, in the same order, each returned once that lead's state is persisted (as
    /// <see cref="ILeadGrain.Import"/>); a row whose call failed has a null result.
    /// </returns>
    [Alias("Import")]
    Task<IReadOnlyList<LeadImportResult?>> Import(string workspace, IReadOnlyList<LeadImportRow> rows);
}
