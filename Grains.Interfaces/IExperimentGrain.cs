namespace LeadScoring.Grains.Interfaces;

/// <summary>One A/B test of scoring models, keyed "{workspace}/{experiment_id}".</summary>
[Alias("LeadScoring.IExperimentGrain")]
public interface IExperimentGrain : IGrainWithStringKey
{
    /// <summary>Created, or Invalid when the splits do not sum to 1 or a model version does not exist; Ok when it already existed unchanged.</summary>
    [Alias("Create")]
    Task<ExperimentCommandResult> Create(ExperimentDefinition definition);

    /// <summary>The experiment, or null when there is none.</summary>
    [Alias("Get")]
    Task<ExperimentRecord?> Get();

    /// <summary>The statistics of the traffic so far, or null when there is no such experiment.</summary>
    [Alias("GetReport")]
    Task<ExperimentReport?> GetReport();

    /// <summary>
    /// Stops routing; with <paramref name="promoteWinner"/>, a significant winner's model becomes the champion.
    /// </summary>
    [Alias("Stop")]
    Task<ExperimentCommandResult> Stop(bool promoteWinner);
}
