using LeadScoring.Grains.Models;
using LeadScoring.Modeling.Training;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Training;

/// <summary>Checks on the real X Education export in ../shared/data (read in place, never copied).</summary>
[Trait("Category", "Unit")]
public class SharedDataTests
{
    private static readonly string LeadsCsv = Path.Combine(RepositoryPaths.Root, "..", "shared", "data", "leads-xeducation.csv");

    [Fact]
    public void Tags_is_flagged_as_leaky_and_pre_contact_columns_are_not()
    {
        var table = CsvTable.Load(LeadsCsv);
        var labelIndex = table.IndexOf("Converted");
        var labels = table.Rows.Select(r => r[labelIndex] == "1").ToArray();
        var folds = DataSplits.Folds(labels, 5, 42);
        var (schema, excluded) = SchemaInference.Infer(table, ["Prospect ID", "Lead Number", "Tags", "Lead Source", "TotalVisits"]);

        double Auc(string column) => LeakageCheck.SingleFeatureAuc(
            schema.Single(s => s.Name == column), [.. table.Column(table.IndexOf(column))], labels, folds);

        Assert.True(Auc("Tags") >= TrainingOptions.LeakageAucThreshold);
        Assert.True(Auc("Lead Source") < TrainingOptions.LeakageAucThreshold);
        Assert.True(Auc("TotalVisits") < TrainingOptions.LeakageAucThreshold);
        Assert.Equal(["Prospect ID", "Lead Number"], excluded.Select(e => e.Column));
    }
}
