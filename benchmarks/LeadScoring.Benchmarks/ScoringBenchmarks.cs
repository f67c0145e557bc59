using BenchmarkDotNet.Attributes;
using LeadScoring.Grains.Models;
using LeadScoring.Grains.Scoring;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LeadScoring.Benchmarks;

/// <summary>
/// One lead scored in-process: the boosted-tree model alone through ML.NET's PredictionEngine (the baseline),
/// the whole calibrated ensemble through <see cref="ScoringModel"/>, and the ensemble's exact explanation.
/// </summary>
[MemoryDiagnoser]
public class ScoringBenchmarks
{
    private ScoringModel _model = null!;
    private PredictionEngine<Row, Prediction> _boostedTreesEngine = null!;
    private float[][] _rows = null!;
    private double[] _attributions = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var table = SyntheticExport.Create(5_000, seed: 2);
        var result = new EnsembleTrainer(new TrainingOptions { Label = "converted", SearchBudget = TimeSpan.Zero }).Train(table);
        _model = new ScoringModel(result.Artifact);
        _rows = _model.Encoder.EncodeRows(table, [.. Enumerable.Range(0, 1_000)]);
        _attributions = new double[_model.Encoder.Width];
        var ml = new MLContext(seed: 1);
        using var stream = new MemoryStream(result.Artifact.GradientBoosting);
        var boosted = ml.Model.Load(stream, out _);
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, _model.Encoder.Width);
        _boostedTreesEngine = ml.Model.CreatePredictionEngine<Row, Prediction>(boosted, inputSchemaDefinition: definition);
    }

    [Benchmark(Baseline = true, Description = "boosted trees alone, ML.NET PredictionEngine")]
    public float BoostedTreesPredictionEngine() => _boostedTreesEngine.Predict(new Row { Features = NextRow() }).Score;

    [Benchmark(Description = "calibrated ensemble (3 models + blend), ScoringModel")]
    public double Ensemble() => _model.Probability(NextRow());

    [Benchmark(Description = "ensemble + path attributions (dimension scores and factors)")]
    public double EnsembleWithAttribution()
    {
        Array.Clear(_attributions);
        return _model.ScoreWithAttribution(NextRow(), _attributions).Probability;
    }

    [Benchmark(Description = "ensemble + exact explanation (TreeSHAP + linear)")]
    public double EnsembleWithExplanation() => _model.Explain(NextRow()).OutputValue;

    private float[] NextRow() => _rows[_next++ % _rows.Length];

    public sealed class Row
    {
        public float[] Features { get; set; } = [];
    }

    public sealed class Prediction
    {
        public float Score { get; set; }
    }
}
