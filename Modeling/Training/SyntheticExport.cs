using System.Globalization;

namespace LeadScoring.Modeling.Training;

/// <summary>
/// A seeded CRM export with a label and 16 columns (8 numeric, 6 categorical, a boolean and a date) whose
/// conversion depends on some of them: the fixed input of the training-speed and scoring benchmarks.
/// </summary>
public static class SyntheticExport
{
    public static CsvTable Create(int rows, int seed)
    {
        var random = new Random(seed);
        string[] columns = ["converted", "visits", "time_on_site", "pages_per_visit", "emails_opened", "emails_clicked", "company_size", "revenue", "age_days",
            "industry", "country", "source", "title", "plan", "campaign", "newsletter", "signup_date"];
        string[] industries = ["software", "retail", "finance", "health", "education", "logistics"];
        string[] countries = ["US", "UK", "DE", "FR", "IN", "BR", "AU", "CA", "JP", "ES"];
        string[] sources = ["organic", "paid", "referral", "event", "social", "outbound"];
        string[] titles = ["ceo", "vp", "director", "manager", "engineer", "student"];
        string[] plans = ["free", "starter", "pro", "enterprise"];
        var data = new List<string[]>(rows);
        for (var i = 0; i < rows; i++)
        {
            var visits = random.Next(0, 40);
            var opened = random.Next(0, 12);
            var clicked = random.Next(0, opened + 1);
            var industry = random.Next(industries.Length);
            var source = random.Next(sources.Length);
            var title = random.Next(titles.Length);
            var logit = -2.5 + 0.06 * visits + 0.25 * clicked + (industry == 0 ? 0.8 : 0) + (source == 2 ? 1 : 0) - (title == 5 ? 1.5 : 0) + 0.5 * (random.NextDouble() - 0.5);
            data.Add(
            [
                random.NextDouble() < 1 / (1 + Math.Exp(-logit)) ? "1" : "0",
                N(visits), N(Math.Round(random.NextDouble() * 3000)), N(Math.Round(random.NextDouble() * 8, 2)), N(opened), N(clicked),
                N(random.Next(1, 50_000)), N(Math.Round(random.NextDouble() * 1e6)), N(random.Next(0, 400)),
                industries[industry], countries[random.Next(countries.Length)], sources[source], titles[title], plans[random.Next(plans.Length)],
                $"c{random.Next(30)}", random.NextDouble() < 0.3 ? "yes" : "no",
                new DateTime(2024, 1, 1).AddDays(random.Next(700)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ]);
        }

        return new CsvTable(columns, data);

        static string N(double value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
