using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Options;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace LeadScoring.Grains.Scoring;

[StatelessWorker]
public sealed class WorkspaceSettingsGrain(IOptions<ScoringOptions> options) : Grain, IWorkspaceSettingsGrain, IWorkspaceScoped
{
    public string Workspace => this.GetPrimaryKeyString();

    public Task<GradeBands> GetGradeBands()
    {
        var grades = options.Value.GradesOf(Workspace);
        return Task.FromResult(new GradeBands(grades.A, grades.B, grades.C));
    }
}
