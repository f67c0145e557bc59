using Microsoft.ML;
using Microsoft.ML.Data;

namespace LeadScoring.Modeling.Training;

/// <summary>The baseline a trainer must beat: one boosted-tree model with ML.NET's LightGBM defaults, nothing tuned.</summary>
public sealed record BaselineResult(double Auc, double Accuracy, double Ece);

/// <summary>
/// Trains ML.NET's LightGBM with its default options on the rows a training run learned from and scores the rows
/// it held out, so both are measured on the same split. Its features are the columns the training run could use
/// (before it chose among them), encoded the same way (one-hot categories, numbers with a missing indicator);
/// nothing is searched or selected.
/// </summary>
public static class UntunedBaseline
{
    public static BaselineResult Evaluate(CsvTable table, TrainingOptions options, TrainingResult trained)
    {
        var label = LabelColumn.Resolve(table, options.Label, options.Positive, options.Negative);
        var holdout = trained.Holdout.Select(h => h.Row).ToHashSet();
        var train = Enumerable.Range(0, table.Rows.Count).Where(r => !holdout.Contains(r) && label.Classify(table.Rows[r]) is not null).ToList();
        var test = trained.Holdout.Select(h => h.Row).ToList();
        var encoder = FeatureEncoder.Fit(table, train, trained.CandidateColumns);

        var ml = new MLContext(options.Seed);
        IDataView Data(List<int> rows)
        {
            var x = encoder.EncodeRows(table, rows);
            var definition = SchemaDefinition.Create(typeof(Row));
            definition[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, encoder.Width);
            return ml.Data.LoadFromEnumerable(rows.Select((r, i) => new Row { Features = x[i], Label = label.Classify(table.Rows[r]) == true }), definition);
        }

        var model = ml.BinaryClassification.Trainers.LightGbm().Fit(Data(train));
        var probabilities = model.Transform(Data(test)).GetColumn<float>("Probability").Select(p => (double)p).ToList();
        var labels = trained.Holdout.Select(h => h.Converted).ToList();
        var metrics = ClassificationMetrics.Compute(probabilities, labels, 0.5);
        return new BaselineResult(metrics.Auc, metrics.Accuracy, metrics.Ece);
    }

    private sealed class Row
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
