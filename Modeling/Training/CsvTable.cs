using System.Text;

namespace LeadScoring.Modeling.Training;

/// <summary>A CSV file held as text cells: a header row and data rows of the same width.</summary>
public sealed class CsvTable
{
    /// <summary>The field delimiters a file may use, by the name a report gives them.</summary>
    private static readonly (char Delimiter, string Name)[] Delimiters = [(',', "comma"), (';', "semicolon"), ('\t', "tab"), ('|', "pipe")];

    /// <summary>How many records the delimiter is judged on.</summary>
    private const int SampledRecords = 20;

    /// <param name="delimiter">The delimiter of the file it was read from; null for a table made in memory (a workspace's history).</param>
    public CsvTable(IReadOnlyList<string> columns, IReadOnlyList<string[]> rows, char? delimiter = null)
    {
        Columns = columns;
        Rows = rows;
        Delimiter = delimiter;
    }

    /// <summary>The delimiter the file was read with; null for a table made in memory.</summary>
    public char? Delimiter { get; }

    /// <summary>"comma", "semicolon", "tab" or "pipe"; null for a table made in memory.</summary>
    public string? DelimiterName => Delimiter is { } delimiter ? Delimiters.First(d => d.Delimiter == delimiter).Name : null;

    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<string[]> Rows { get; }

    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i], column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    public IEnumerable<string> Column(int index) => Rows.Select(r => r[index]);

    public static CsvTable Load(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(reader);
    }

    /// <summary>
    /// RFC 4180 CSV with a header, delimited by comma, semicolon, tab or pipe (see <see cref="DetectDelimiter"/>).
    /// Quoted fields may contain delimiters, doubled quotes and line breaks.
    /// </summary>
    /// <exception cref="FormatException">No header, an unterminated quote, or a row of another width.</exception>
    public static CsvTable Parse(TextReader reader)
    {
        var text = reader.ReadToEnd();
        var delimiter = DetectDelimiter(text);
        var records = ParseRecords(text, delimiter);
        if (records.Count == 0 || records[0].All(string.IsNullOrWhiteSpace))
        {
            throw new FormatException("the file has no header row");
        }

        var header = records[0].Select(h => h.Trim()).ToArray();
        var duplicate = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FormatException($"the header names column '{duplicate.Key}' twice");
        }

        var rows = new List<string[]>(records.Count - 1);
        for (var i = 1; i < records.Count; i++)
        {
            var record = records[i];
            if (record.Length == 1 && record[0].Length == 0)
            {
                continue; // blank line
            }

            if (record.Length != header.Length)
            {
                throw new FormatException($"row {i + 1} has {record.Length} fields where the header has {header.Length}");
            }

            rows.Add(record);
        }

        return new CsvTable(header, rows, delimiter);
    }

    /// <summary>
    /// The delimiter that splits the header and the first records into the same number of fields, more than one;
    /// of several, the one giving the most fields. When none is consistent (a ragged file), the one most frequent
    /// in the header, so that the width check names the row at fault. Counted outside quotes.
    /// </summary>
    private static char DetectDelimiter(string text)
    {
        var counts = new List<int[]> { new int[Delimiters.Length] };
        var quoted = false;
        for (var i = 0; i < text.Length && counts.Count <= SampledRecords; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '\n' or '\r')
            {
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 1 : 0;
                counts.Add(new int[Delimiters.Length]);
            }
            else if (!quoted && Array.FindIndex(Delimiters, d => d.Delimiter == c) is var index and >= 0)
            {
                counts[^1][index]++;
            }
        }

        // A last line without its line break is a record too; a trailing line break leaves an empty one behind.
        var records = counts.Where((record, i) => i == 0 || record.Any(n => n > 0)).ToList();
        var header = records[0];
        var consistent = Enumerable.Range(0, Delimiters.Length)
            .Where(d => header[d] > 0 && records.All(record => record[d] == header[d]))
            .OrderByDescending(d => header[d]).ToList();
        var chosen = consistent.Count > 0 ? consistent[0] : Array.IndexOf(header, header.Max());
        return header[chosen] > 0 ? Delimiters[chosen].Delimiter : ',';
    }

    private static List<string[]> ParseRecords(string text, char delimiter)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var start = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw new FormatException("a quoted field is not closed before the end of the file");
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add([.. fields]);
        }

        return records;
    }
}
