using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Tests.Training;

/// <summary>The boosted-tree search: LightGBM beside FastTree, early stopping, successive halving within a budget.</summary>
public class BoostingSearchTests(TrainedSyntheticModel trained) : IClassFixture<TrainedSyntheticModel>
{
    [Fact]
    public void Early_stopping_sets_the_tree_count_and_the_final_model_has_the_trees_the_report_names()
    {
        // A zero budget runs the first candidate only: LightGBM, grown until the first fold's loss stops improving.
        var boosting = trained.Result.Report.Boosting;
        var model = ChampionModel.Load("v1", trained.Result.Artifact);

        Assert.Equal(BoostingLearner.LightGbm, boosting.Learner);
        Assert.InRange(boosting.Trees, 1, 1_999);
        Assert.Equal(boosting.Trees, model.Scoring.Explanations.GradientBoosting.Trees.Count);
    }

    [Fact]
    public void With_a_budget_the_search_compares_candidates_and_keeps_one_that_beats_the_untuned_baseline_on_the_same_split()
    {
        var options = new TrainingOptions { Label = "converted", SearchBudget = TimeSpan.FromSeconds(30) };
        var result = new EnsembleTrainer(options).Train(trained.Table);
        var baseline = UntunedBaseline.Evaluate(trained.Table, options, result);

        Assert.Equal(trained.Result.Holdout.Select(h => h.Row), result.Holdout.Select(h => h.Row));
        Assert.True(result.Report.Holdout.Auc >= baseline.Auc - 0.01, $"trainer {result.Report.Holdout.Auc:0.0000}, untuned LightGBM {baseline.Auc:0.0000}; rf {result.Report.Models.RandomForest.Auc:0.0000} gb {result.Report.Models.GradientBoosting.Auc:0.0000} lr {result.Report.Models.LogisticRegression.Auc:0.0000} {result.Report.Models.Ensemble.Choice} {result.Report.Boosting} features {result.Report.Features.Count} schema {result.Report.Schema.Count} candidates {result.CandidateColumns.Count}");
        Assert.InRange(baseline.Auc, 0.6, 1);
        Assert.Equal(trained.Result.Holdout.Count, result.Holdout.Count);
    }
}
