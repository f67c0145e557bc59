using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Tests.Training;

public class SchemaInferenceTests
{
    [Fact]
    public void Each_crafted_column_gets_its_kind_and_identifiers_are_excluded_with_a_reason()
    {
        var table = SyntheticLeads.Create(400);
        var (features, excluded) = SchemaInference.Infer(table, table.Columns.Where(c => c != "converted"));
        var kinds = features.ToDictionary(f => f.Name, f => f.Kind);
        var reasons = excluded.ToDictionary(e => e.Column, e => e.Reason);

        Assert.Equal(ColumnKind.Numeric, kinds["visits"]);
        Assert.Equal(ColumnKind.Categorical, kinds["industry"]);
        Assert.Equal(ColumnKind.Boolean, kinds["newsletter"]);
        Assert.Equal(ColumnKind.DateTime, kinds["signup_date"]);
        Assert.Equal(ColumnKind.Categorical, kinds["status"]);
        Assert.Contains("GUID", reasons["prospect_id"], StringComparison.Ordinal);
        Assert.Contains("running number", reasons["lead_number"], StringComparison.Ordinal);
        Assert.Contains("free text", reasons["notes"], StringComparison.Ordinal);
        Assert.Contains("constant", reasons["region"], StringComparison.Ordinal);
        Assert.Equal(4, features.Single(f => f.Name == "industry").DistinctValues); // "Select" is missing
        Assert.True(features.Single(f => f.Name == "visits").MissingRate > 0);
    }

    [Fact]
    public void Dimensions_come_from_names_and_a_schema_file_overrides_them()
    {
        var table = SyntheticLeads.Create(100);
        var schemaFile = new SchemaFile(new Dictionary<string, ColumnOverride>
        {
            ["industry"] = new(null, FeatureDimension.Quality, null),
            ["visits"] = new("categorical", null, FeatureSource.Activity),
            ["newsletter"] = new("ignore", null, null),
        });

        var (inferred, _) = SchemaInference.Infer(table, ["visits", "industry", "signup_date"]);
        var (overridden, excluded) = SchemaInference.Infer(table, ["visits", "industry", "newsletter"], schemaFile);

        Assert.Equal(FeatureDimension.Behavioral, inferred.Single(f => f.Name == "visits").Dimension);
        Assert.Equal(FeatureDimension.Demographic, inferred.Single(f => f.Name == "industry").Dimension);
        Assert.Equal(FeatureDimension.Temporal, inferred.Single(f => f.Name == "signup_date").Dimension);
        Assert.Equal(FeatureDimension.Quality, overridden.Single(f => f.Name == "industry").Dimension);
        Assert.Equal(ColumnKind.Categorical, overridden.Single(f => f.Name == "visits").Kind);
        Assert.Equal(FeatureSource.Activity, overridden.Single(f => f.Name == "visits").Source);
        Assert.Equal("ignored by the schema file", Assert.Single(excluded).Reason);
    }

    [Fact]
    public void Activity_aggregate_names_map_to_the_feature_pipeline()
    {
        var (dimension, source) = DimensionHeuristics.Guess("demo_request_count_30d");

        Assert.Equal(FeatureDimension.Interaction, dimension);
        Assert.Equal(FeatureSource.Activity, source);
    }
}
