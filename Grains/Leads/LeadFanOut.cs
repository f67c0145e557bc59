using Microsoft.Extensions.Logging;

namespace LeadScoring.Grains.Leads;

/// <summary>How the batch workers call many lead grains: all at once, and a call that fails fails only its own lead.</summary>
internal static class LeadFanOut
{
    /// <returns>The answers in the leads' order; null for a lead whose call threw (logged as a warning).</returns>
    public static async Task<IReadOnlyList<TResult?>> CallEach<TLead, TResult>(
        IReadOnlyList<TLead> leads, Func<TLead, string> leadIdOf, Func<TLead, Task<TResult>> call, ILogger logger, string operation)
        where TResult : class
    {
        var results = new TResult?[leads.Count];
        await Task.WhenAll(leads.Select(async (lead, i) =>
        {
            try
            {
                results[i] = await call(lead);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "{Operation} of lead {Lead} in a batch failed", operation, leadIdOf(lead));
            }
        }));
        return results;
    }
}
