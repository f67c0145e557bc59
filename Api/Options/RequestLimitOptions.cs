namespace LeadScoring.Api.Options;

/// <summary>Configuration section "LeadScoring:Requests": the largest bodies the API reads.</summary>
public sealed class RequestLimitOptions
{
    public const string SectionName = "LeadScoring:Requests";

    /// <summary>Any request but a training or import upload; larger is 413.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>A CSV uploaded to train a model.</summary>
    public long MaxTrainingUploadBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>A CRM export uploaded to import its leads, with the files joined to it.</summary>
    public long MaxImportUploadBytes { get; set; } = 64L * 1024 * 1024;
}
