namespace LeadScoring.Modeling.Training;

public sealed record LeakageWarning(string Column, double SingleFeatureAuc);

public sealed record CrossValidationReport(int Folds, double AucMean, double AucStd);

public sealed record ModelScore(double Auc);

public sealed record EnsembleScore(double Auc, IReadOnlyDictionary<string, double> Weights, double FixedBlendAuc, string Choice);

public sealed record ModelsReport(ModelScore RandomForest, ModelScore GradientBoosting, ModelScore LogisticRegression, EnsembleScore Ensemble);

public sealed record RegressionScore(int TrainRows, int HoldoutRows, double Mae, double BaselineMae, bool BeatsBaseline);

public sealed record RegressionReport(RegressionScore? DealSize, RegressionScore? TimeToClose);

public sealed record FairnessGroup(string Group, int Count, double PositiveRate, double TruePositiveRate, double FalsePositiveRate);

public sealed record FairnessReport(string Column, IReadOnlyList<FairnessGroup> Groups, double DemographicParityDifference, double EqualOpportunityDifference);

public sealed record FeatureImportance(string Column, double AucDrop);

/// <summary>The training report (written by --report as snake_case JSON).</summary>
public sealed record TrainingReport(
    int Rows,
    int Positives,
    IReadOnlyList<string> Features,
    IReadOnlyList<ExcludedColumn> ExcludedColumns,
    IReadOnlyList<LeakageWarning> LeakageWarnings,
    ClassificationMetrics Holdout,
    CrossValidationReport CrossValidation,
    ModelsReport Models,
    RegressionReport? Regression,
    FairnessReport? Fairness,
    double TrainingSeconds,
    string Label,
    string PositiveLabel,
    double BaseRate,
    int UnlabelledRows,
    string Split,
    int TrainRows,
    int HoldoutRows,
    BoostingSettings Boosting,
    IReadOnlyList<FeatureImportance> PermutationImportance,
    IReadOnlyList<ColumnSchema> Schema,
    string DataFingerprint,
    string Assessment,
    string? DataSource = null,
    string? Delimiter = null,
    IReadOnlyList<ReliabilityBin>? Reliability = null);
