namespace LeadScoring.Grains.Interfaces;

/// <summary>
/// One sign-in link's code, keyed by its id: remembers that it was used, so a link opens one session only, on
/// whichever API instance it is opened.
/// </summary>
[Alias("LeadScoring.ISignInCodeGrain")]
public interface ISignInCodeGrain : IGrainWithStringKey
{
    /// <summary>True the first time; false for every later use of the same code.</summary>
    [Alias("Redeem")]
    Task<bool> Redeem(DateTimeOffset expiresAt);
}
