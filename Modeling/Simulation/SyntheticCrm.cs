using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Modeling.Simulation;

/// <summary>A generated lead: profile, activity stream and (for leads old enough) an outcome.</summary>
/// <param name="Propensity">The hidden conversion probability the outcome was drawn from.</param>
public sealed record SimulatedLead(
    string LeadId,
    IReadOnlyDictionary<string, LeadAttributeValue> Attributes,
    string Email,
    string Name,
    IReadOnlyList<ActivityRecord> Activities,
    OutcomeRecord? Outcome,
    double Propensity);

/// <summary>
/// A deterministic synthetic CRM: the same seed yields the same leads, attributes, activity offsets and
/// outcomes (timestamps are relative to the given origin). Conversion follows a hidden propensity built from
/// the profile and the intent the lead shows, so a model has something real to learn.
/// </summary>
public static class SyntheticCrm
{
    private static readonly (string Name, double Effect)[] Industries =
        [("software", 0.6), ("finance", 0.3), ("healthcare", 0.1), ("manufacturing", -0.2), ("retail", -0.4), ("education", -0.6), ("logistics", 0.0)];

    private static readonly (string Name, double Effect)[] Seniorities =
        [("c_level", 0.7), ("vp", 0.5), ("director", 0.3), ("manager", 0.0), ("individual_contributor", -0.4), ("student", -1.5)];

    private static readonly (string Name, double Effect)[] Sources =
        [("referral", 0.9), ("webinar", 0.4), ("organic_search", 0.2), ("paid_search", 0.0), ("trade_show", 0.1), ("social", -0.3), ("cold_outbound", -0.7)];

    private static readonly string[] Countries = ["US", "UK", "DE", "FR", "IN", "BR", "AU", "CA"];
    private static readonly string[] FirstNames = ["ada", "alan", "grace", "linus", "barbara", "edsger", "margaret", "ken", "frances", "dennis"];
    private static readonly string[] LastNames = ["lovelace", "turing", "hopper", "torvalds", "liskov", "dijkstra", "hamilton", "thompson", "allen", "ritchie"];
    private static readonly string[] Channels = ["email", "web", "phone", "social", "event"];

    // Activity mix of a lukewarm lead and of a hot one; a lead draws from a blend by its propensity.
    private static readonly double[] ColdMix = [40, 25, 6, 1, 3, 2, 2, 5, 1, 1, 0.5, 0.2, 8, 0.2];
    private static readonly double[] HotMix = [30, 18, 12, 6, 0.5, 0.2, 6, 8, 4, 5, 4, 4, 3, 1.5];

    public static IEnumerable<SimulatedLead> Generate(int count, int seed, DateTimeOffset origin)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            yield return NextLead(random, $"sim-{seed}-{i:D6}", origin);
        }
    }

    private static SimulatedLead NextLead(Random random, string leadId, DateTimeOffset origin)
    {
        var industry = Pick(random, Industries);
        var seniority = Pick(random, Seniorities);
        var source = Pick(random, Sources);
        var employees = Math.Round(Math.Exp(random.NextDouble() * 9.2 + 1.6)); // about 5 to 50,000
        var country = Countries[random.Next(Countries.Length)];
        var logit = -1.1 + industry.Effect + seniority.Effect + source.Effect + 0.25 * Math.Log10(employees) + Gaussian(random) * 0.5;
        var baseline = Sigmoid(logit);

        var createdAt = origin - TimeSpan.FromHours(24 + random.NextDouble() * 59 * 24);
        var activityCount = Poisson(random, 2 + 18 * baseline);
        var activities = new List<ActivityRecord>(activityCount);
        var intent = 0.0;
        for (var a = 0; a < activityCount; a++)
        {
            var type = (ActivityType)PickIndex(random, baseline, ColdMix, HotMix);
            intent += type is ActivityType.DemoRequest or ActivityType.Meeting or ActivityType.EmailReply ? 1 : 0;
            var at = createdAt + (origin - createdAt) * random.NextDouble();
            activities.Add(new ActivityRecord(
                $"{leadId}-a{a:D3}",
                type,
                at,
                new ActivityProperties(
                    type == ActivityType.PageView ? Math.Round(10 + random.NextDouble() * 290) : null,
                    type is ActivityType.PageView or ActivityType.Download ? $"https://example.com/p/{random.Next(40)}" : null,
                    Channels[random.Next(Channels.Length)],
                    type is ActivityType.Download or ActivityType.WebinarAttended ? $"content-{random.Next(12)}" : null)));
        }

        activities.Sort((x, y) => x.OccurredAt.CompareTo(y.OccurredAt));
        var propensity = Sigmoid(logit + 0.35 * intent);
        OutcomeRecord? outcome = null;
        if (origin - createdAt > TimeSpan.FromDays(14) && random.NextDouble() < 0.8)
        {
            var converted = random.NextDouble() < propensity;
            var lastTouch = activities.Count > 0 ? activities[^1].OccurredAt : createdAt;
            var closedAt = lastTouch + TimeSpan.FromHours(random.NextDouble() * 72);
            outcome = new OutcomeRecord(
                converted,
                converted ? Math.Round(employees * 40 * Math.Exp(Gaussian(random) * 0.4), 2) : null,
                closedAt < origin ? closedAt : origin);
        }

        var first = FirstNames[random.Next(FirstNames.Length)];
        var last = LastNames[random.Next(LastNames.Length)];
        var attributes = new Dictionary<string, LeadAttributeValue>
        {
            ["industry"] = LeadAttributeValue.OfText(industry.Name),
            ["job_seniority"] = LeadAttributeValue.OfText(seniority.Name),
            ["lead_source"] = LeadAttributeValue.OfText(source.Name),
            ["company_size"] = LeadAttributeValue.OfNumber(employees),
            ["country"] = LeadAttributeValue.OfText(country),
            ["newsletter_subscriber"] = LeadAttributeValue.OfBoolean(random.NextDouble() < 0.3),
        };
        return new SimulatedLead(leadId, attributes, $"{first}.{last}@{leadId}.example.com", $"{Capitalize(first)} {Capitalize(last)}",
            activities, outcome, propensity);
    }

    private static (string Name, double Effect) Pick(Random random, (string Name, double Effect)[] options) => options[random.Next(options.Length)];

    private static int PickIndex(Random random, double heat, double[] cold, double[] hot)
    {
        var total = 0.0;
        for (var i = 0; i < cold.Length; i++)
        {
            total += cold[i] * (1 - heat) + hot[i] * heat;
        }

        var draw = random.NextDouble() * total;
        for (var i = 0; i < cold.Length; i++)
        {
            draw -= cold[i] * (1 - heat) + hot[i] * heat;
            if (draw <= 0)
            {
                return i;
            }
        }

        return cold.Length - 1;
    }

    private static int Poisson(Random random, double mean)
    {
        var limit = Math.Exp(-mean);
        var product = random.NextDouble();
        var count = 0;
        while (product > limit)
        {
            count++;
            product *= random.NextDouble();
        }

        return count;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
