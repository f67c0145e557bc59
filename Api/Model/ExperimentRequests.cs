using System.Text.Json;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Api.Model;

/// <summary>Turns experiment request bodies into definitions; the rules on values (splits, versions) live in the grain.</summary>
public static class ExperimentRequests
{
    public const double DefaultMinimumDetectableEffect = 0.1;

    /// <summary>
    /// {"experiment_id", "variants": [names], "traffic_split": {name: share}, "variant_models": {name: version},
    /// "hypothesis", "primary_metric"?, "minimum_detectable_effect"?}
    /// </summary>
    public static ExperimentDefinition? ParseCreate(JsonElement root, JsonFields fields)
    {
        if (!fields.RequireObject(root, ""))
        {
            return null;
        }

        fields.RejectUnknown<CreateExperimentBody>(root, "");
        var id = fields.String(root, "", "experiment_id", required: true);
        var hypothesis = fields.String(root, "", "hypothesis", required: true);
        var metric = fields.String(root, "", "primary_metric", required: false) ?? "conversion_rate";
        var effect = fields.Number(root, "", "minimum_detectable_effect") ?? DefaultMinimumDetectableEffect;
        var names = new List<string>();
        if (root.TryGetProperty("variants", out var variantsJson) && variantsJson.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in variantsJson.EnumerateArray())
            {
                if (name.ValueKind == JsonValueKind.String && name.GetString() is { Length: > 0 and <= 64 } text)
                {
                    names.Add(text);
                }
                else
                {
                    fields.Errors.Add(new("variants", "each variant is a name of 1-64 characters"));
                }
            }
        }
        else
        {
            fields.Errors.Add(new("variants", "is required: an array of variant names"));
        }

        var splits = ObjectOf(root, "traffic_split", fields);
        var models = ObjectOf(root, "variant_models", fields);
        var variants = new List<ExperimentVariant>();
        foreach (var name in names)
        {
            var share = splits is { } split ? fields.Number(split, "traffic_split", name) : null;
            var version = models is { } model ? fields.String(model, "variant_models", name, required: true) : null;
            if (splits is { } shares && !shares.TryGetProperty(name, out _))
            {
                fields.Errors.Add(new($"traffic_split.{name}", "is required for every variant"));
            }

            variants.Add(new ExperimentVariant(name, share ?? 0, version ?? ""));
        }

        foreach (var (property, json) in new[] { ("traffic_split", splits), ("variant_models", models) })
        {
            foreach (var extra in json?.EnumerateObject().Where(p => !names.Contains(p.Name)) ?? [])
            {
                fields.Errors.Add(new($"{property}.{extra.Name}", "names no variant"));
            }
        }

        return fields.Errors.Count == 0 ? new ExperimentDefinition(id!, variants, hypothesis!, metric, effect) : null;
    }

    /// <summary>{"promote_winner"?: bool}; an empty body stops without promoting.</summary>
    public static StopRequest? ParseStop(JsonElement root, JsonFields fields)
    {
        if (!fields.RequireObject(root, ""))
        {
            return null;
        }

        fields.RejectUnknown<StopExperimentBody>(root, "");
        return new StopRequest(fields.Boolean(root, "", "promote_winner", required: false) ?? false);
    }

    private static JsonElement? ObjectOf(JsonElement root, string name, JsonFields fields)
    {
        if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object)
        {
            return value;
        }

        fields.Errors.Add(new(name, "is required: an object with an entry per variant"));
        return null;
    }
}

public sealed record StopRequest(bool PromoteWinner);
