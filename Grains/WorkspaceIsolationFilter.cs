using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Grains;

/// <summary>A grain that belongs to one workspace.</summary>
public interface IWorkspaceScoped
{
    string Workspace { get; }
}

/// <summary>
/// Defence in depth behind the API's authorization: a call made for one workspace (<see cref="CallerWorkspace"/>)
/// never reaches a grain of another.
/// </summary>
public sealed class WorkspaceIsolationFilter : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (CallerWorkspace.Current is { } caller && context.TargetContext.GrainInstance is IWorkspaceScoped target && target.Workspace != caller)
        {
            throw new UnauthorizedAccessException(
                $"A call for workspace '{caller}' may not reach {context.TargetId.Type} of workspace '{target.Workspace}'.");
        }

        return context.Invoke();
    }
}
