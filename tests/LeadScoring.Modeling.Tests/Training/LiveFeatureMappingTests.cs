using System.Globalization;
using System.Text;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Features;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Tests.Training;

/// <summary>An export column the schema maps to a live activity feature: read from the column in training, from the activities live.</summary>
public class LiveFeatureMappingTests
{
    private const string Schema = """{"columns": {"TotalVisits": {"feature": "visit_count"}}}""";

    [Fact]
    public void A_mapped_column_is_read_from_the_lead_s_activity_feature_and_its_attribute_of_that_name_is_ignored()
    {
        var csv = new StringBuilder("TotalVisits,Lead Origin,converted\n");
        var random = new Random(4);
        for (var i = 0; i < 600; i++)
        {
            var visits = random.Next(0, 30);
            var origin = random.Next(2) == 0 ? "API" : "Landing Page";
            csv.Append(CultureInfo.InvariantCulture, $"{visits},{origin},{(random.NextDouble() < (visits > 12 ? 0.85 : 0.1) ? 1 : 0)}\n");
        }

        var result = new EnsembleTrainer(new TrainingOptions
        {
            Label = "converted",
            Schema = SchemaFile.Parse(Schema, "the test schema"),
            SearchBudget = TimeSpan.Zero,
        }).Train(CsvTable.Parse(new StringReader(csv.ToString())));
        var model = ChampionModel.Load("v1", result.Artifact);
        var column = model.Columns[model.IndexOfColumn("TotalVisits")];

        double Probability(double visitCount, double visitsAttribute) => model.Scoring.Probability(model.Encode(
            new Dictionary<string, LeadAttributeValue> { ["TotalVisits"] = LeadAttributeValue.OfNumber(visitsAttribute), ["Lead Origin"] = LeadAttributeValue.OfText("API") },
            [.. FeatureCatalog.All.Select(f => new FeatureValue(f.Name, f.Dimension, f.Name == "visit_count" ? visitCount : f.IsCategorical ? null : 0, null))]).Vector);

        Assert.Equal(("visit_count", FeatureSource.Activity, FeatureDimension.Behavioral), (column.LiveFeature, column.Source, column.Dimension));
        Assert.Contains(result.Report.Schema, c => c.Name == "TotalVisits" && c.LiveFeature == "visit_count");
        Assert.True(Probability(visitCount: 25, visitsAttribute: 0) > Probability(visitCount: 1, visitsAttribute: 0) + 0.3, "the live visit count drives the column");
        Assert.Equal(Probability(visitCount: 1, visitsAttribute: 0), Probability(visitCount: 1, visitsAttribute: 25));
        // The mapping survives the registry: the artifact written and read back maps the same column.
        Assert.Equal("visit_count", ModelArtifact.Deserialize(result.Artifact.Serialize()).Encoding.Single(c => c.Column == "TotalVisits").LiveFeature);
    }

    [Theory]
    [InlineData("""{"columns": {"TotalVisits": {"feature": "visits"}}}""", "not a live activity feature")]
    [InlineData("""{"columns": {"TotalVisits": {"feature": "visit_count", "source": "attribute"}}}""", "its source is 'activity'")]
    [InlineData("""{"columns": {"TotalVisits": {"source": "activity"}}}""", "no \"feature\"")]
    [InlineData("""{"columns": 3}""", "not a schema")]
    [InlineData("""{}""", "no \"columns\"")]
    public void A_schema_that_maps_a_column_to_no_live_feature_is_refused_with_the_reason(string json, string reason)
    {
        var refused = Assert.Throws<FormatException>(() => SchemaFile.Parse(json, "the schema"));

        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }
}
