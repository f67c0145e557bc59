using System.Collections.Frozen;

namespace LeadScoring.Grains.Interfaces;

/// <summary>The canonical activity types a lead can perform. Values are persisted: append only.</summary>
[GenerateSerializer, Alias("LeadScoring.ActivityType")]
public enum ActivityType
{
    PageView = 0,
    EmailOpen = 1,
    EmailClick = 2,
    EmailReply = 3,
    EmailBounce = 4,
    Unsubscribe = 5,
    FormSubmit = 6,
    Download = 7,
    WebinarAttended = 8,
    Call = 9,
    Meeting = 10,
    DemoRequest = 11,
    SocialEngagement = 12,
    Referral = 13,
}

/// <summary>The wire names of <see cref="ActivityType"/> (snake_case), shared by every client of the contract.</summary>
public static class ActivityTypeNames
{
    private static readonly string[] Names =
    [
        "page_view", "email_open", "email_click", "email_reply", "email_bounce", "unsubscribe", "form_submit",
        "download", "webinar_attended", "call", "meeting", "demo_request", "social_engagement", "referral",
    ];

    private static readonly FrozenDictionary<string, ActivityType> ByName =
        Names.Select((name, index) => (name, type: (ActivityType)index)).ToFrozenDictionary(p => p.name, p => p.type);

    public static int Count => Names.Length;

    public static IReadOnlyList<string> All => Names;

    public static string ToWireName(this ActivityType type) => Names[(int)type];

    public static bool TryParse(string? name, out ActivityType type) => ByName.TryGetValue(name ?? "", out type);
}
