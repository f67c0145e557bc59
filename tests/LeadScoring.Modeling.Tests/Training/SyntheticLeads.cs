using System.Globalization;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Tests.Training;

/// <summary>A crafted CRM export with one column of each kind the schema inference must recognize.</summary>
public static class SyntheticLeads
{
    public static readonly string[] Columns =
    [
        "prospect_id", "lead_number", "visits", "industry", "newsletter", "signup_date", "notes", "region", "status", "converted",
    ];

    public static CsvTable Create(int rows, int seed = 5)
    {
        var random = new Random(seed);
        var industries = new[] { "software", "retail", "finance", "education" };
        var data = new List<string[]>();
        for (var i = 0; i < rows; i++)
        {
            var industry = industries[random.Next(industries.Length)];
            var visits = random.Next(0, 30);
            var logit = -2 + 0.15 * visits + (industry == "software" ? 1.2 : industry == "education" ? -1 : 0);
            var converted = random.NextDouble() < 1 / (1 + Math.Exp(-logit));
            // "status" is filled in after the outcome: it agrees with it 97% of the time.
            var status = (random.NextDouble() < 0.97 ? converted : !converted) ? "customer" : "closed lost";
            data.Add(
            [
                Guid.NewGuid().ToString(),
                (100000 + i).ToString(CultureInfo.InvariantCulture),
                random.NextDouble() < 0.05 ? "" : visits.ToString(CultureInfo.InvariantCulture),
                random.NextDouble() < 0.03 ? "Select" : industry,
                random.NextDouble() < 0.4 ? "Yes" : "No",
                new DateTime(2025, 1, 1).AddDays(random.Next(365)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                $"Called on day {i} and talked about the {industry} roadmap for quite a while",
                "EMEA",
                status,
                converted ? "yes" : "no",
            ]);
        }

        return new CsvTable(Columns, data);
    }
}
