namespace LeadScoring.Grains.Interfaces;

/// <summary>One row of an imported export: the lead it becomes, and its outcome when the row has a label.</summary>
/// <param name="Row">The row's number in the file, counting the header as row 1 (as a spreadsheet shows it).</param>
/// <param name="Upsert">The row's columns as the lead's attributes; a missing cell removes the attribute.</param>
/// <param name="Outcome">Null when the row has no label (an open lead).</param>
[GenerateSerializer, Immutable, Alias("LeadScoring.LeadImportRow")]
public sealed record LeadImportRow(
    [property: Id(0)] int Row,
    [property: Id(1)] string LeadId,
    [property: Id(2)] LeadUpsert Upsert,
    [property: Id(3)] OutcomeRecord? Outcome);

[GenerateSerializer, Alias("LeadScoring.LeadImportStatus")]
public enum LeadImportStatus
{
    Created = 0,
    Updated = 1,

    /// <summary>The lead already held exactly this row: nothing was written.</summary>
    Unchanged = 2,

    /// <summary>Refused with reasons; nothing of the row was stored.</summary>
    Invalid = 3,

    /// <summary>The lead's silo or the database could not be reached; nothing of the row is acknowledged.</summary>
    Unavailable = 4,
}

[GenerateSerializer, Immutable, Alias("LeadScoring.LeadImportResult")]
public sealed record LeadImportResult(
    [property: Id(0)] LeadImportStatus Status,
    [property: Id(1)] IReadOnlyList<ValidationError> Errors);

/// <summary>A file joined to the imported export on a shared key column (an opportunity's account, product).</summary>
/// <param name="Name">The file's name, which prefixes a joined column whose name the export already has.</param>
[GenerateSerializer, Immutable, Alias("LeadScoring.ImportJoin")]
public sealed record ImportJoin(
    [property: Id(0)] byte[] Csv,
    [property: Id(1)] string Key,
    [property: Id(2)] string Name);

/// <summary>An import of a CRM export: every row becomes a lead of the workspace, with its outcome when labelled.</summary>
/// <param name="Label">The outcome column; null imports leads without outcomes.</param>
/// <param name="Positive">The label value that means converted (inferred as training does when null).</param>
/// <param name="Negative">The label value that means not converted; null: every other present value.</param>
/// <param name="DealValueColumn">The column with a labelled row's deal value (the outcome's, never an attribute).</param>
/// <param name="CloseDateColumn">The column with the date a labelled row's deal closed (the outcome's, never an attribute).</param>
[GenerateSerializer, Immutable, Alias("LeadScoring.ImportRequest")]
public sealed record ImportRequest(
    [property: Id(0)] byte[] Csv,
    [property: Id(1)] string IdColumn,
    [property: Id(2)] string? Label,
    [property: Id(3)] string? Positive,
    [property: Id(4)] string? Negative,
    [property: Id(5)] IReadOnlyList<ImportJoin> Joins,
    [property: Id(6)] string? DealValueColumn = null,
    [property: Id(7)] string? CloseDateColumn = null);

[GenerateSerializer, Alias("LeadScoring.ImportJobState")]
public enum ImportJobState
{
    Running = 0,
    Succeeded = 1,
    Failed = 2,
}

/// <summary>The import's start: its status, or why the request cannot be imported (nothing was stored then).</summary>
[GenerateSerializer, Immutable, Alias("LeadScoring.ImportStart")]
public sealed record ImportStart(
    [property: Id(0)] ImportJobStatus? Status,
    [property: Id(1)] IReadOnlyList<ValidationError> Errors);

/// <summary>A row the import did not store, and why.</summary>
/// <param name="Row">Its number in the file, the header being row 1.</param>
[GenerateSerializer, Immutable, Alias("LeadScoring.ImportRowProblem")]
public sealed record ImportRowProblem(
    [property: Id(0)] int Row,
    [property: Id(1)] string? LeadId,
    [property: Id(2)] string Reason);

/// <summary>Where an import job is: counts so far while it runs, the report once it ended.</summary>
/// <param name="Rows">The file's data rows (0 until it is read).</param>
/// <param name="Processed">Rows answered so far: created, updated, unchanged, rejected or failed.</param>
/// <param name="Rejected">Rows refused for their content; nothing of them is stored.</param>
/// <param name="Failed">Rows the cluster could not store now (unavailable); importing the file again completes them.</param>
/// <param name="Problems">The first <c>MaxListedProblems</c> rejected or failed rows, in file order.</param>
/// <param name="Delimiter">How the file's fields were separated ("comma", "tab", ...), once it is read.</param>
[GenerateSerializer, Immutable, Alias("LeadScoring.ImportJobStatus")]
public sealed record ImportJobStatus(
    [property: Id(0)] string JobId,
    [property: Id(1)] ImportJobState State,
    [property: Id(2)] int Rows,
    [property: Id(3)] int Processed,
    [property: Id(4)] int Created,
    [property: Id(5)] int Updated,
    [property: Id(6)] int Unchanged,
    [property: Id(7)] int Rejected,
    [property: Id(8)] int Failed,
    [property: Id(9)] int Outcomes,
    [property: Id(10)] IReadOnlyList<ImportRowProblem> Problems,
    [property: Id(11)] string? Delimiter,
    [property: Id(12)] string? Error,
    [property: Id(13)] DateTimeOffset StartedAt,
    [property: Id(14)] DateTimeOffset? FinishedAt)
{
    /// <summary>How many rejected or failed rows a status lists (the counts cover all of them).</summary>
    public const int MaxListedProblems = 100;
}
