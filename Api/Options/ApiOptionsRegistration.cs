using Microsoft.Extensions.Options;

namespace LeadScoring.Api.Options;

/// <summary>
/// Binds each "LeadScoring:&lt;Section&gt;" the API reads to its options class and validates it when the API starts:
/// a bad value stops the start with a message naming the setting. The validated values are also registered as
/// singletons, so an endpoint takes <c>RequestLimitOptions limits</c> like any service.
/// </summary>
public static class ApiOptionsRegistration
{
    /// <summary>Settings renamed into a section; a deployment still setting the old name learns the new one at start.</summary>
    private static readonly (string Old, string New)[] Renamed =
    [
        ("LEADSCORING_MAX_BODY_BYTES", "LeadScoring__Requests__MaxBodyBytes"),
        ("LEADSCORING_MAX_TRAINING_UPLOAD_BYTES", "LeadScoring__Requests__MaxTrainingUploadBytes"),
    ];

    public static IServiceCollection AddLeadScoringApiOptions(this IServiceCollection services)
    {
        services.AddOptions<RequestLimitOptions>().BindConfiguration(RequestLimitOptions.SectionName)
            .Validate(o => o.MaxBodyBytes > 0 && o.MaxBodyBytes < int.MaxValue, $"{RequestLimitOptions.SectionName}:MaxBodyBytes must be between 1 and {int.MaxValue - 1}")
            .Validate(o => o.MaxTrainingUploadBytes > 0, $"{RequestLimitOptions.SectionName}:MaxTrainingUploadBytes must be greater than zero")
            .Validate(o => o.MaxImportUploadBytes > 0, $"{RequestLimitOptions.SectionName}:MaxImportUploadBytes must be greater than zero")
            .Validate<IConfiguration>(
                (_, configuration) => Renamed.All(setting => configuration[setting.Old] is null),
                "Renamed settings: " + string.Join("; ", Renamed.Select(setting => $"{setting.Old} is now {setting.New}")))
            .ValidateOnStart();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName)
            .Validate(o => Valid(o.PerSubject), Bucket(nameof(RateLimitOptions.PerSubject)))
            .Validate(o => Valid(o.PerWorkspace), Bucket(nameof(RateLimitOptions.PerWorkspace)))
            .ValidateOnStart();
        services.AddOptions<ScoreResponseCacheOptions>().BindConfiguration(ScoreResponseCacheOptions.SectionName)
            .Validate(o => o.Entries is >= 0 and <= ScoreResponseCacheOptions.MaximumEntries,
                $"{ScoreResponseCacheOptions.SectionName}:Entries must be between 0 (off) and {ScoreResponseCacheOptions.MaximumEntries}")
            .ValidateOnStart();
        services.AddOptions<UnavailableRetryOptions>().BindConfiguration(UnavailableRetryOptions.SectionName)
            .Validate(o => o.RetryFor >= TimeSpan.Zero && o.RetryFor <= TimeSpan.FromMinutes(1),
                $"{UnavailableRetryOptions.SectionName}:RetryFor must be between 00:00:00 (off) and 00:01:00")
            .Validate(o => o.MaxWaitingRequests >= 0, $"{UnavailableRetryOptions.SectionName}:MaxWaitingRequests must not be negative")
            .ValidateOnStart();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidation>();
        services.AddSingleton(Value<RequestLimitOptions>);
        services.AddSingleton(Value<RateLimitOptions>);
        services.AddSingleton(Value<UnavailableRetryOptions>);
        return services;
    }

    private static T Value<T>(IServiceProvider services) where T : class => services.GetRequiredService<IOptions<T>>().Value;

    private static bool Valid(TokenBucket bucket) => bucket.PerSecond > 0 && bucket.Burst > 0;

    private static string Bucket(string name) => $"{RateLimitOptions.SectionName}:{name}:PerSecond and Burst must be greater than zero";
}
