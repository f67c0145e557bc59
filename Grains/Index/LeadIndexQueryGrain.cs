using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Options;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace LeadScoring.Grains.Index;

/// <summary>Lists and summaries of a workspace's lead index, straight from its store.</summary>
[StatelessWorker]
public sealed class LeadIndexQueryGrain(ILeadIndexStore store, IOptions<LeadIndexOptions> options, TimeProvider clock)
    : Grain, ILeadIndexQueryGrain, IWorkspaceScoped
{
    public string Workspace => this.GetPrimaryKeyString();

    public async Task<LeadIndexQueryResult> Query(LeadIndexQuery query)
    {
        var errors = new List<ValidationError>();
        var indexed = options.Value.AttributesOf(Workspace);
        foreach (var name in query.Attributes.Keys.Where(name => !indexed.Contains(name, StringComparer.Ordinal)))
        {
            errors.Add(new ValidationError($"attribute[{name}]",
                indexed.Count == 0 ? "is not indexed: this workspace indexes no attributes (LeadScoring:Index:Attributes)"
                : $"is not indexed; the indexed attributes are {string.Join(", ", indexed)}"));
        }

        var now = clock.GetUtcNow();
        if (query.After is { } after && now - after.FirstPageAt > options.Value.CursorLifetime)
        {
            errors.Add(new ValidationError("cursor", $"is older than {options.Value.CursorLifetime.TotalMinutes:0} minutes: read the list again from its first page"));
        }

        if (errors.Count > 0)
        {
            return new LeadIndexQueryResult(null, errors);
        }

        var asOf = query.After?.AsOf ?? await store.PositionAsync();
        var lines = await store.QueryAsync(Workspace, query, asOf);
        if (query.After is null && lines.Count > query.Limit)
        {
            // More pages follow: they must read the index as it is now, so the index starts keeping what it replaces,
            // and this first page is read again as of its last committed write.
            asOf = await GrainFactory.GetGrain<ILeadIndexGrain>(Workspace).StartPaging();
            lines = await store.QueryAsync(Workspace, query, asOf);
        }

        var page = lines.Take(query.Limit).ToList();
        var next = lines.Count > query.Limit && page[^1] is var last
            ? new LeadIndexCursor(last.OverallScore, last.UpdatedAt, last.LeadId, asOf, query.After?.FirstPageAt ?? now)
            : null;
        return new LeadIndexQueryResult(new LeadIndexPage(page, next), []);
    }

    public Task<LeadIndexSummary> Summary() => store.SummaryAsync(Workspace);
}
