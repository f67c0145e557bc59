using LeadScoring.Grains.Interfaces;
using Microsoft.AspNetCore.Components.Authorization;

namespace LeadScoring.Web.Sessions;

/// <summary>
/// The grains of the signed-in user's workspace, for one circuit. Each reference is taken with the workspace set as
/// the caller's (<see cref="CallerWorkspace"/>), so the silos refuse a call that strays into another workspace, as
/// they do for the API. The methods that set it are synchronous on purpose: a value set inside an async method
/// would not reach the caller's next grain call.
/// </summary>
public sealed class WorkspaceGrains(IGrainFactory grains, AuthenticationStateProvider authentication)
{
    private SignedInUser? _user;

    /// <summary>The signed-in user; a page reads it first (the pages are behind the session, so there is one).</summary>
    public async Task<SignedInUser> UserAsync()
    {
        if (_user is null)
        {
            var state = await authentication.GetAuthenticationStateAsync();
            _user = SignedInUser.From(state.User) ?? throw new InvalidOperationException("The page was reached without a signed-in user.");
        }

        return _user;
    }

    private SignedInUser User => _user ?? throw new InvalidOperationException("UserAsync is read before the grains.");

    public ILeadGrain Lead(string leadId)
    {
        CallerWorkspace.Set(User.Workspace);
        return grains.GetLead(User.Workspace, leadId);
    }

    /// <summary>A training job of the workspace.</summary>
    public ITrainingJobGrain Job(string jobId)
    {
        CallerWorkspace.Set(User.Workspace);
        return grains.GetGrain<ITrainingJobGrain>(WorkspaceKey.Format(User.Workspace, jobId));
    }

    /// <summary>An experiment of the workspace.</summary>
    public IExperimentGrain Experiment(string experimentId)
    {
        CallerWorkspace.Set(User.Workspace);
        return grains.GetGrain<IExperimentGrain>(WorkspaceKey.Format(User.Workspace, experimentId));
    }

    /// <summary>A grain keyed by the workspace itself (the lead index, its settings, its event history).</summary>
    public TGrain OfWorkspace<TGrain>() where TGrain : IGrainWithStringKey
    {
        CallerWorkspace.Set(User.Workspace);
        return grains.GetGrain<TGrain>(User.Workspace);
    }
}
