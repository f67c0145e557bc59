namespace LeadScoring.Grains.Interfaces;

/// <summary>One training job, keyed "{workspace}/{job_id}". Training runs off the grain's scheduler.</summary>
[Alias("LeadScoring.ITrainingJobGrain")]
public interface ITrainingJobGrain : IGrainWithStringKey
{
    /// <summary>Starts the job; a job that already started answers with its status and starts nothing.</summary>
    [Alias("Start")]
    Task<TrainingJobStatus> Start(TrainingRequest request);

    /// <summary>Null when no job with this id was ever started.</summary>
    [Alias("GetStatus")]
    Task<TrainingJobStatus?> GetStatus();
}
