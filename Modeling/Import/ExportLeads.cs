using System.Globalization;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Training;

namespace LeadScoring.Modeling.Import;

/// <summary>A row of an export as the import takes it: the lead it becomes, or why it cannot become one.</summary>
public sealed record ExportRow(LeadImportRow? Lead, ImportRowProblem? Problem);

/// <summary>
/// Reads a CRM export's rows as leads: the id column is the lead id, the label column (when given) the outcome,
/// and every other column an attribute of the same name. A cell becomes what a live lead would send, so that the
/// model reads the same value in training and in production: nothing for a missing cell, a number for a cell
/// written as one ("1532", "2.5"), and the trimmed text otherwise ("1,532", "007" and "2.50" keep their text).
/// </summary>
public sealed class ExportLeads
{
    private readonly CsvTable _table;
    private readonly int _idColumn;
    private readonly LabelColumn? _label;
    private readonly (int Index, string Name)[] _attributes;
    private readonly int _dealValue;
    private readonly (int Index, string Format) _closeDate;

    private ExportLeads(CsvTable table, int idColumn, LabelColumn? label, (int Index, string Name)[] attributes, int dealValue, (int, string) closeDate)
    {
        _table = table;
        _idColumn = idColumn;
        _label = label;
        _attributes = attributes;
        _dealValue = dealValue;
        _closeDate = closeDate;
    }

    /// <summary>The export's leads, or null with the reasons (by the import's field names) when it cannot be imported.</summary>
    /// <param name="dealValueColumn">A labelled row's deal value, recorded with its outcome (not an attribute).</param>
    /// <param name="closeDateColumn">A labelled row's close date, recorded with its outcome (not an attribute).</param>
    public static ExportLeads? Open(
        CsvTable table, string idColumn, string? label, string? positive, string? negative, List<ValidationError> errors,
        string? dealValueColumn = null, string? closeDateColumn = null)
    {
        var id = table.IndexOf(idColumn);
        if (id < 0)
        {
            errors.Add(new("id_column", $"the file has no column '{idColumn}'; its columns are: {string.Join(", ", table.Columns)}"));
        }

        LabelColumn? outcome = null;
        try
        {
            outcome = label is null ? null : LabelColumn.Resolve(table, label, positive, negative);
        }
        catch (TrainingInputException refused)
        {
            errors.Add(new(refused.Option ?? "label", refused.Message));
        }

        var dealValue = OutcomeColumn(table, dealValueColumn, "deal_value_column", label, errors);
        var closeDate = OutcomeColumn(table, closeDateColumn, "close_date_column", label, errors);
        var closeDateFormat = closeDate < 0 ? "" : DateFormat(table, closeDate);
        if (closeDateFormat is null)
        {
            errors.Add(new("close_date_column", $"no known date format ({string.Join(", ", MissingValues.DateFormats)}) reads the dates of column '{closeDateColumn}'"));
        }

        var attributes = new List<(int, string)>();
        for (var c = 0; c < table.Columns.Count; c++)
        {
            var name = table.Columns[c];
            if (c == id || c == outcome?.Index || c == dealValue || c == closeDate || (name.Length == 0 && table.Column(c).All(MissingValues.IsMissing)))
            {
                continue; // a nameless empty column is what a trailing delimiter leaves
            }

            if (!LeadAttributeName.IsValid(name))
            {
                errors.Add(new("file", $"column {c + 1} ('{name}') cannot be an attribute name: {LeadAttributeName.Rule}"));
            }

            attributes.Add((c, name));
        }

        return errors.Count == 0 ? new ExportLeads(table, id, outcome, [.. attributes], dealValue, (closeDate, closeDateFormat!)) : null;
    }

    /// <summary>The known date format that reads the most of the column's dates (a row it cannot read is that row's problem); null when none reads any.</summary>
    private static string? DateFormat(CsvTable table, int column)
    {
        var dates = table.Column(column).Where(c => !MissingValues.IsMissing(c)).Take(500).ToList();
        var (format, read) = MissingValues.DateFormats.Select(f => (f, dates.Count(d => MissingValues.TryParseDate(d, f, out _)))).MaxBy(p => p.Item2);
        return read > 0 ? format : null;
    }

    /// <summary>The index of an outcome column; -1 when none is named; an error when it is unknown or there is no label.</summary>
    private static int OutcomeColumn(CsvTable table, string? column, string field, string? label, List<ValidationError> errors)
    {
        if (column is null)
        {
            return -1;
        }

        var index = table.IndexOf(column);
        if (label is null)
        {
            errors.Add(new(field, "needs 'label': it is part of a row's outcome"));
        }
        else if (index < 0)
        {
            errors.Add(new(field, $"the file has no column '{column}'; its columns are: {string.Join(", ", table.Columns)}"));
        }

        return index;
    }

    /// <summary>The label value that means converted, when the import has a label.</summary>
    public string? Positive => _label?.Positive;

    public int Count => _table.Rows.Count;

    /// <summary>
    /// The rows in file order. A lead id that is not valid, or that an earlier row already had, makes its row a
    /// problem: a lead is imported once per file, so the result never depends on the order rows are stored in.
    /// </summary>
    public IEnumerable<ExportRow> Rows()
    {
        var firstRowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var r = 0; r < _table.Rows.Count; r++)
        {
            var cells = _table.Rows[r];
            var rowNumber = r + 2;
            var leadId = cells[_idColumn].Trim();
            if (!LeadKey.IsValidLeadId(leadId))
            {
                yield return new ExportRow(null, new ImportRowProblem(rowNumber, leadId.Length == 0 ? null : leadId, $"lead id {LeadKey.LeadIdRule}"));
                continue;
            }

            if (!firstRowOf.TryAdd(leadId, rowNumber))
            {
                yield return new ExportRow(null, new ImportRowProblem(rowNumber, leadId, $"lead id already imported from row {firstRowOf[leadId]}"));
                continue;
            }

            var attributes = new Dictionary<string, LeadAttributeValue?>(_attributes.Length, StringComparer.Ordinal);
            foreach (var (index, name) in _attributes)
            {
                attributes[name] = Attribute(cells[index]);
            }

            OutcomeRecord? outcome = null;
            if (_label?.Classify(cells) is { } converted)
            {
                double? dealValue = null;
                DateTimeOffset? closedAt = null;
                if (_dealValue >= 0 && !MissingValues.IsMissing(cells[_dealValue]))
                {
                    if (!MissingValues.TryParseNumber(cells[_dealValue], out var value))
                    {
                        yield return new ExportRow(null, new ImportRowProblem(rowNumber, leadId, $"deal value '{cells[_dealValue].Trim()}' is not a number"));
                        continue;
                    }

                    dealValue = value;
                }

                if (_closeDate.Index >= 0 && !MissingValues.IsMissing(cells[_closeDate.Index]))
                {
                    if (!MissingValues.TryParseDate(cells[_closeDate.Index], _closeDate.Format, out var date))
                    {
                        yield return new ExportRow(null, new ImportRowProblem(rowNumber, leadId, $"close date '{cells[_closeDate.Index].Trim()}' is not a {_closeDate.Format} date"));
                        continue;
                    }

                    closedAt = new DateTimeOffset(date, TimeSpan.Zero);
                }

                outcome = new OutcomeRecord(converted, dealValue, closedAt);
            }

            yield return new ExportRow(new LeadImportRow(rowNumber, leadId, new LeadUpsert(attributes, null, null, null), outcome), null);
        }
    }

    /// <summary>A cell as a live lead's attribute value; null for a missing cell.</summary>
    public static LeadAttributeValue? Attribute(string cell)
    {
        if (MissingValues.IsMissing(cell))
        {
            return null;
        }

        var text = cell.Trim();
        return MissingValues.TryParseNumber(text, out var number) && number.ToString("R", CultureInfo.InvariantCulture) == text
            ? LeadAttributeValue.OfNumber(number)
            : LeadAttributeValue.OfText(text);
    }
}
