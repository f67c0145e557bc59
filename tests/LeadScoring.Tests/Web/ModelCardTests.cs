using System.Text.Json;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Tests.Scoring;
using LeadScoring.Modeling.Training;
using LeadScoring.Web.Components.Models;

namespace LeadScoring.Tests.Web;

/// <summary>The Insights and Models pages read a model's report as the registry stores it: a real report, serialized as stored.</summary>
[Trait("Category", "Unit")]
public sealed class ModelCardTests
{
    [Fact]
    public void The_model_card_reads_every_figure_it_shows_from_a_stored_report()
    {
        var report = SimulatedModels.First.Report;
        var stored = new ModelSummary("v7", DateTimeOffset.UnixEpoch, report.DataFingerprint, IsChampion: true, JsonSerializer.Serialize(report, ReportJson.Options));

        var card = ModelCard.From(stored);

        Assert.Equal(("v7", true), (card.Version, card.IsChampion));
        Assert.Equal((report.Rows, report.Positives, report.TrainRows, report.HoldoutRows), (card.Rows, card.Positives, card.TrainRows, card.HoldoutRows));
        Assert.Equal(report.Holdout.Auc, card.Auc);
        Assert.Equal(report.Holdout.Ece, card.Ece);
        Assert.Equal(report.Holdout.Brier, card.Brier);
        Assert.Equal(report.CrossValidation.AucMean, card.CrossValidationAuc);
        Assert.Equal(report.Assessment, card.Assessment);
        Assert.True(card.IsSimulated);
        Assert.Equal(report.PermutationImportance.Select(i => (i.Column, i.AucDrop)), card.Importance);
        Assert.Equal(report.Reliability!.Count, card.Reliability!.Count);
        Assert.Equal(report.HoldoutRows, card.Reliability.Sum(b => b.Count));
        Assert.Equal(report.Reliability[0].ObservedRate, card.Reliability[0].ObservedRate);
    }

    [Fact]
    public void A_report_from_before_reliability_bins_shows_none_rather_than_failing()
    {
        var report = SimulatedModels.First.Report with { Reliability = null, Fairness = null };
        var card = ModelCard.From(new ModelSummary("v1", DateTimeOffset.UnixEpoch, "", false, JsonSerializer.Serialize(report, ReportJson.Options)));

        Assert.Null(card.Reliability);
        Assert.Null(card.Fairness);
        Assert.Equal(report.Holdout.Auc, card.Auc);
    }
}
