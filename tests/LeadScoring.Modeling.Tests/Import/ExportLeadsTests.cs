using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Import;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Tests.Import;

public class ExportLeadsTests
{
    private const string Pipeline = """
        opportunity_id,account,deal_stage,close_date,close_value,Annual Revenue
        op-1,acme,Won,01-03-17,1054,1532
        op-2,globex,Lost,11-03-17,0,"1,532"
        op-3,initech,Engaging,,,2.50
        op-4,acme,Won,01-03-17,lots,10
        op-5,acme,Won,31-02-17,10,10
        """;

    [Fact]
    public void Cells_become_what_a_live_lead_sends_and_outcomes_carry_their_deal_value_and_close_date()
    {
        var errors = new List<ValidationError>();
        var export = ExportLeads.Open(Table(Pipeline), "opportunity_id", "deal_stage", "Won", "Lost", errors, "close_value", "close_date")!;
        var rows = export.Rows().ToList();

        Assert.Empty(errors);
        var won = rows[0].Lead!;
        Assert.Equal(new OutcomeRecord(true, 1054, new DateTimeOffset(2017, 3, 1, 0, 0, 0, TimeSpan.Zero)), won.Outcome);
        Assert.Equal(["account", "Annual Revenue"], won.Upsert.Attributes.Keys);
        Assert.Equal(LeadAttributeValue.OfNumber(1532), won.Upsert.Attributes["Annual Revenue"]);
        Assert.Equal(LeadAttributeValue.OfText("1,532"), rows[1].Lead!.Upsert.Attributes["Annual Revenue"]);
        Assert.Equal(new OutcomeRecord(false, 0, new DateTimeOffset(2017, 3, 11, 0, 0, 0, TimeSpan.Zero)), rows[1].Lead!.Outcome);
        Assert.Null(rows[2].Lead!.Outcome);
        Assert.Equal(LeadAttributeValue.OfText("2.50"), rows[2].Lead!.Upsert.Attributes["Annual Revenue"]);
        Assert.Equal((5, "deal value 'lots' is not a number"), (rows[3].Problem!.Row, rows[3].Problem!.Reason));
        Assert.Equal((6, "close date '31-02-17' is not a dd-MM-yy date"), (rows[4].Problem!.Row, rows[4].Problem!.Reason));
    }

    [Theory]
    [InlineData("lead,x\nl-1,NA\nl-2, Select \nl-3,(blank)\n", null)]
    [InlineData("lead,x\nl-1,007\nl-2,+5\nl-3,1e5\n", "text")]
    public void Missing_markers_are_no_attribute_and_numbers_keep_the_text_they_were_written_as(string csv, string? kind)
    {
        var errors = new List<ValidationError>();
        var rows = ExportLeads.Open(Table(csv), "lead", null, null, null, errors)!.Rows().ToList();

        Assert.All(rows, row => Assert.Equal(kind, row.Lead!.Upsert.Attributes["x"] is { } value ? (value.Kind == LeadAttributeKind.Number ? "number" : "text") : null));
    }

    [Fact]
    public void An_invalid_or_repeated_lead_id_is_a_problem_of_its_row_and_the_first_row_of_an_id_wins()
    {
        var rows = ExportLeads.Open(Table("lead,x\nl-1,1\nbad id,2\nl-1,3\n,4\n"), "lead", null, null, null, [])!.Rows().ToList();

        Assert.Equal(LeadAttributeValue.OfNumber(1), rows[0].Lead!.Upsert.Attributes["x"]);
        Assert.Equal([3, 4, 5], rows.Skip(1).Select(r => r.Problem!.Row));
        Assert.Contains("already imported from row 2", rows[2].Problem!.Reason, StringComparison.Ordinal);
        Assert.Null(rows[3].Problem!.LeadId);
    }

    [Theory]
    [InlineData("Lead ID", null, null, null, "id_column")]
    [InlineData("opportunity_id", "stage", null, null, "label")]
    [InlineData("opportunity_id", "deal_stage", "close_value_usd", null, "deal_value_column")]
    [InlineData("opportunity_id", null, "close_value", null, "deal_value_column")]
    [InlineData("opportunity_id", "deal_stage", null, "account", "close_date_column")]
    public void An_export_that_cannot_be_imported_names_the_field_at_fault(string idColumn, string? label, string? dealValue, string? closeDate, string field)
    {
        var errors = new List<ValidationError>();

        Assert.Null(ExportLeads.Open(Table(Pipeline), idColumn, label, label is null ? null : "Won", null, errors, dealValue, closeDate));
        Assert.Contains(errors, e => e.Field == field);
    }

    private static CsvTable Table(string csv) => CsvTable.Parse(new StringReader(csv));
}
