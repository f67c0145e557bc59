using System.Text.Json;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Grains.Webhooks;

/// <summary>What a webhook's settings must be, and which events its filter lets through.</summary>
public static class WebhookRules
{
    public const int MaxWebhooksPerWorkspace = 50;
    public const int MaxUrlLength = 2048;
    public const int MaxDescriptionLength = 500;

    private static readonly string[] Grades = ["A", "B", "C", "D"];

    /// <summary>The settings' errors, field by field (an update checks only what it sets).</summary>
    public static List<ValidationError> Validate(WebhookSettings settings, bool creating)
    {
        var errors = new List<ValidationError>();
        if (settings.Url is null)
        {
            if (creating)
            {
                errors.Add(new ValidationError("url", "is required"));
            }
        }
        else if (UrlProblem(settings.Url) is { } problem)
        {
            errors.Add(new ValidationError("url", problem));
        }

        if (settings.EventTypes is null)
        {
            if (creating)
            {
                errors.Add(new ValidationError("event_types", "is required"));
            }
        }
        else if (settings.EventTypes.Count == 0)
        {
            errors.Add(new ValidationError("event_types", "must name at least one event type"));
        }
        else
        {
            foreach (var type in settings.EventTypes.Where(t => !EventTypes.All.Contains(t)).Distinct(StringComparer.Ordinal))
            {
                errors.Add(new ValidationError("event_types", $"'{type}' is not an event type; the types are {string.Join(", ", EventTypes.All.Order())}"));
            }
        }

        if (settings.Filter?.Grades is { } grades)
        {
            if (grades.Count == 0)
            {
                errors.Add(new ValidationError("filter.grades", "must name at least one grade, or be left out"));
            }

            foreach (var grade in grades.Where(g => !Grades.Contains(g, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal))
            {
                errors.Add(new ValidationError("filter.grades", $"'{grade}' is not a grade; the grades are A, B, C and D"));
            }
        }

        if (settings.Filter?.MinScoreChange is { } change && !(change is >= 0 and <= 100))
        {
            errors.Add(new ValidationError("filter.min_score_change", "must be between 0 and 100 (score points)"));
        }

        if (settings.Description is { Length: > MaxDescriptionLength })
        {
            errors.Add(new ValidationError("description", $"must be at most {MaxDescriptionLength} characters"));
        }

        return errors;
    }

    /// <summary>Why the text cannot be a webhook's URL; null when its form can (where it points is checked apart).</summary>
    public static string? UrlProblem(string url) =>
        url.Length > MaxUrlLength ? $"must be at most {MaxUrlLength} characters"
        : !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") ? "must be an absolute http or https URL"
        : uri.UserInfo.Length > 0 ? "must not carry a user name or password"
        : uri.Fragment.Length > 0 ? "must not carry a fragment"
        : null;

    /// <summary>Whether the webhook wants the event: one of its types, and through its filter.</summary>
    public static bool Wants(Webhook webhook, WorkspaceEvent e)
    {
        if (!webhook.EventTypes.Contains(e.Type, StringComparer.Ordinal))
        {
            return false;
        }

        if (webhook.Filter is not { } filter || e.Type is not (EventTypes.LeadScored or EventTypes.LeadGradeChanged))
        {
            return true;
        }

        using var data = JsonDocument.Parse(e.Data);
        var root = data.RootElement;
        if (filter.Grades is { } grades && !(root.TryGetProperty("grade", out var grade) && grades.Contains(grade.GetString(), StringComparer.Ordinal)))
        {
            return false;
        }

        if (filter.MinScoreChange is { } minimum && e.Type == EventTypes.LeadScored
            && root.TryGetProperty("previous_score", out var previous) && previous.ValueKind == JsonValueKind.Number)
        {
            return Math.Abs(root.GetProperty("overall_score").GetDouble() - previous.GetDouble()) >= minimum;
        }

        return true;
    }
}
