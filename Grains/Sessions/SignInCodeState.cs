namespace LeadScoring.Grains.Sessions;

[GenerateSerializer, Alias("LeadScoring.SignInCodeState")]
public sealed class SignInCodeState
{
    [Id(0)] public DateTimeOffset? RedeemedAt { get; set; }

    [Id(1)] public DateTimeOffset ExpiresAt { get; set; }
}
