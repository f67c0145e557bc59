using System.Collections.Concurrent;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Grains.Index;

/// <summary>Memory mode: the same lines in this silo's memory, each query a scan (memory mode holds few leads).</summary>
public sealed class MemoryLeadIndexStore(TimeProvider clock) : ILeadIndexStore
{
    private readonly ConcurrentDictionary<string, Workspace> _workspaces = new(StringComparer.Ordinal);
    private long _position;

    public Task<(long IndexedThrough, DateTimeOffset? PagingUntil)> ProgressAsync(string workspace) =>
        Task.FromResult((Of(workspace).IndexedThrough, Of(workspace).PagingUntil));

    public Task SetPagingUntilAsync(string workspace, DateTimeOffset until)
    {
        var index = Of(workspace);
        lock (index)
        {
            index.PagingUntil = index.PagingUntil > until ? index.PagingUntil : until;
        }

        return Task.CompletedTask;
    }

    public Task ApplyAsync(string workspace, IReadOnlyList<LeadIndexEntry> lines, IReadOnlyList<string> gone, long? indexedThrough, bool keepReplaced)
    {
        var index = Of(workspace);
        lock (index)
        {
            var position = Interlocked.Increment(ref _position);
            var now = clock.GetUtcNow();
            foreach (var line in lines)
            {
                if (keepReplaced && index.Current.TryGetValue(line.LeadId, out var old))
                {
                    index.Replaced.Add(new Replaced(old, position, now));
                }

                index.Current[line.LeadId] = new Line(line, position);
            }

            foreach (var leadId in gone)
            {
                index.Current.Remove(leadId);
                index.Replaced.RemoveAll(r => r.Line.Entry.LeadId == leadId);
            }

            index.IndexedThrough = indexedThrough ?? index.IndexedThrough;
        }

        return Task.CompletedTask;
    }

    public Task<long> PositionAsync() => Task.FromResult(Interlocked.Read(ref _position));

    public Task<IReadOnlyList<LeadIndexEntry>> QueryAsync(string workspace, LeadIndexQuery query, long asOf)
    {
        var index = Of(workspace);
        List<LeadIndexEntry> visible;
        lock (index)
        {
            visible = [.. index.Current.Values.Where(l => l.Position <= asOf).Select(l => l.Entry)
                .Concat(index.Replaced.Where(r => r.Line.Position <= asOf && r.ReplacedAt > asOf).Select(r => r.Line.Entry))];
        }

        var matching = visible.Where(e => Matches(e, query));
        var ordered = query.Descending
            ? matching.OrderByDescending(e => Key(e, query.Sort)).ThenByDescending(e => e.LeadId, StringComparer.Ordinal)
            : matching.OrderBy(e => Key(e, query.Sort)).ThenBy(e => e.LeadId, StringComparer.Ordinal);
        var after = query.After is { } cursor
            ? ordered.SkipWhile(e => !IsAfter(e, cursor, query))
            : ordered;
        return Task.FromResult<IReadOnlyList<LeadIndexEntry>>([.. after.Take(query.Limit + 1)]);
    }

    public Task<LeadIndexSummary> SummaryAsync(string workspace)
    {
        var index = Of(workspace);
        lock (index)
        {
            return Task.FromResult(LeadIndexText.Summary(index.Current.Values.Select(l => l.Entry)
                .GroupBy(e => (e.Grade, Bucket: e.OverallScore is { } s ? (int?)Math.Min(9, (int)Math.Floor(s / 10)) : null, e.Converted))
                .Select(g => (g.Key.Grade, g.Key.Bucket, g.Key.Converted, (long)g.Count()))));
        }
    }

    public Task ForgetReplacedAsync(string workspace, DateTimeOffset before)
    {
        var index = Of(workspace);
        lock (index)
        {
            index.Replaced.RemoveAll(r => r.At < before);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> StoredLeadIdsAsync(string workspace, string? after, int limit) =>
        throw new NotSupportedException("memory mode cannot list its leads, and its index cannot be lost without them: there is nothing to rebuild");

    private static bool Matches(LeadIndexEntry e, LeadIndexQuery q) =>
        (q.Grades is null || (e.Grade is { } g && q.Grades.Contains(g)))
        && (q.MinScore is null || e.OverallScore >= q.MinScore)
        && (q.MaxScore is null || e.OverallScore <= q.MaxScore)
        && (q.Trend is null || e.Trend == q.Trend)
        && (q.ScoredSince is null || e.ScoredAt >= q.ScoredSince)
        && q.Attributes.All(a => e.Attributes.TryGetValue(a.Key, out var v) && v == a.Value);

    private static IComparable Key(LeadIndexEntry e, LeadIndexSortField sort) => sort switch
    {
        LeadIndexSortField.Score => e.OverallScore ?? -1,
        LeadIndexSortField.UpdatedAt => e.UpdatedAt,
        _ => 0,
    };

    private static bool IsAfter(LeadIndexEntry e, LeadIndexCursor cursor, LeadIndexQuery q)
    {
        var byKey = q.Sort switch
        {
            LeadIndexSortField.Score => (e.OverallScore ?? -1).CompareTo(cursor.Score ?? -1),
            LeadIndexSortField.UpdatedAt => e.UpdatedAt.CompareTo(cursor.UpdatedAt!.Value),
            _ => 0,
        };
        var order = byKey != 0 ? byKey : string.CompareOrdinal(e.LeadId, cursor.LeadId);
        return q.Descending ? order < 0 : order > 0;
    }

    private Workspace Of(string workspace) => _workspaces.GetOrAdd(workspace, _ => new Workspace());

    private sealed record Line(LeadIndexEntry Entry, long Position);

    private sealed record Replaced(Line Line, long ReplacedAt, DateTimeOffset At);

    private sealed class Workspace
    {
        public Dictionary<string, Line> Current { get; } = new(StringComparer.Ordinal);

        public List<Replaced> Replaced { get; } = [];

        public long IndexedThrough { get; set; }

        public DateTimeOffset? PagingUntil { get; set; }
    }
}
