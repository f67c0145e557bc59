using LeadScoring.Common;
using LeadScoring.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace LeadScoring.Grains.Leads;

/// <summary>How the batch workers call many lead grains: all at once, and a call that fails fails only its own lead.</summary>
internal static class LeadFanOut
{
    /// <param name="unavailable">The answer for a lead that could not be reached now (its silo or the database).</param>
    /// <returns>
    /// The answers in the leads' order; <paramref name="unavailable"/> for a lead the cluster could not serve now,
    /// null for a lead whose call failed otherwise (a bug, logged as a warning).
    /// </returns>
    public static async Task<IReadOnlyList<TResult?>> CallEach<TLead, TResult>(
        IReadOnlyList<TLead> leads, Func<TLead, string> leadIdOf, Func<TLead, Task<TResult>> call, TResult unavailable, ILogger logger, string operation)
        where TResult : class
    {
        var results = new TResult?[leads.Count];
        await Task.WhenAll(leads.Select(async (lead, i) =>
        {
            try
            {
                results[i] = await call(lead);
            }
            catch (Exception e) when (ClusterFailures.IsUnavailable(e) || PostgresFailures.IsUnavailable(e))
            {
                results[i] = unavailable;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "{Operation} of lead {Lead} in a batch failed", operation, leadIdOf(lead));
            }
        }));
        return results;
    }
}
