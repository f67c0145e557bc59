using System.Globalization;
using System.Text;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Silo.Commands;

/// <summary>
/// `train --predictions FILE`: the trained model's verdict on each holdout row, as a CSV a user can join back to the
/// export: the row's number (the header is row 1, as a spreadsheet and an import report number rows), its label,
/// the trainer's probability and the column that moved it most (the first of its exact explanation). A lead
/// imported from that row and scored live must get the same probability and the same top factor.
/// </summary>
internal static class HoldoutPredictions
{
    public static void Write(string path, CsvTable table, TrainingResult result)
    {
        var model = ChampionModel.Load("holdout", result.Artifact);
        var columns = model.Columns.Select(c => table.IndexOf(c.Column)).ToArray();
        var csv = new StringBuilder("row,converted,probability,top_factor\n");
        foreach (var prediction in result.Holdout)
        {
            var cells = table.Rows[prediction.Row];
            var vector = model.Scoring.Encoder.Encode(column => cells[table.IndexOf(column)]);
            var top = LeadScorer.Explain(model, vector, c => columns[c] < 0 ? null : cells[columns[c]]).Contributions[0].Feature;
            csv.Append(CultureInfo.InvariantCulture, $"{prediction.Row + 2},{(prediction.Converted ? 1 : 0)},{prediction.Probability:R},\"{top.Replace("\"", "\"\"", StringComparison.Ordinal)}\"\n");
        }

        File.WriteAllText(path, csv.ToString());
        Console.WriteLine($"wrote {result.Holdout.Count:N0} holdout predictions to {path}");
    }
}
