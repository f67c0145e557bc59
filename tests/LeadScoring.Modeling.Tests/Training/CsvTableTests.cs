using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Tests.Training;

public class CsvTableTests
{
    [Fact]
    public void Quoted_fields_keep_delimiters_quotes_and_line_breaks()
    {
        var table = CsvTable.Parse(new StringReader("id,note,size\r\n1,\"a, \"\"quoted\"\"\nnote\",3\r\n2,plain,4\n"));

        Assert.Equal(["id", "note", "size"], table.Columns);
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal("a, \"quoted\"\nnote", table.Rows[0][1]);
        Assert.Equal("4", table.Rows[1][2]);
    }

    [Fact]
    public void Semicolon_files_are_recognized_by_their_header()
    {
        var table = CsvTable.Parse(new StringReader("name;amount\nacme;1,5\n"));

        Assert.Equal(["name", "amount"], table.Columns);
        Assert.Equal("1,5", table.Rows[0][1]);
    }

    [Theory]
    [InlineData("id,name,note\r\n1,acme,\"a; b\"\r\n", ',', "comma")]
    [InlineData("id;name;amount\n1;acme;1,5\n2;beta;2,5\n", ';', "semicolon")]
    [InlineData("Lead Source\tAnnual Revenue\tnote\nweb\t1,000\ta;b|c\n", '\t', "tab")]
    [InlineData("id|name|amount\n1|acme, inc|3\n", '|', "pipe")]
    [InlineData("only\n1\n2\n", ',', "comma")]
    public void The_delimiter_is_the_one_that_splits_the_header_and_rows_alike(string text, char delimiter, string name)
    {
        var table = CsvTable.Parse(new StringReader(text));

        Assert.Equal((delimiter, name), (table.Delimiter, table.DelimiterName));
        Assert.All(table.Rows, row => Assert.Equal(table.Columns.Count, row.Length));
    }

    /// <summary>A tab-separated export as it comes (CRLF, ".csv" name), read in place from ../shared/data.</summary>
    [Fact]
    public void The_tab_separated_marketing_campaign_export_reads_with_its_label()
    {
        var table = CsvTable.Load(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "..", "shared", "data", "generalization", "marketing-campaign.csv"));

        Assert.Equal("tab", table.DelimiterName);
        Assert.Equal(29, table.Columns.Count);
        Assert.Equal(2_240, table.Rows.Count);
        Assert.Equal(334, table.Column(table.IndexOf("Response")).Count(cell => cell == "1"));
    }

    [Theory]
    [InlineData("a,b\n1,2,3\n", "row 2 has 3 fields")]
    [InlineData("a,b\n\"1,2\n", "not closed")]
    [InlineData("", "no header")]
    [InlineData("a,a\n1,2\n", "twice")]
    public void Broken_files_are_refused_with_the_reason(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => CsvTable.Parse(new StringReader(text)));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Joins_add_the_other_files_columns_by_key()
    {
        var deals = CsvTable.Parse(new StringReader("deal,account,value\n1,acme,10\n2,unknown,20\n"));
        var accounts = CsvTable.Parse(new StringReader("account,sector,value\nacme,tech,99\n"));

        var joined = CsvJoin.LeftJoin(deals, accounts, "account", "accounts");

        Assert.Equal(["deal", "account", "value", "sector", "accounts.value"], joined.Columns);
        Assert.Equal(["1", "acme", "10", "tech", "99"], joined.Rows[0]);
        Assert.Equal(["2", "unknown", "20", "", ""], joined.Rows[1]);
    }
}
