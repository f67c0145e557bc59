using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Grains.Sessions;

/// <summary>
/// A sign-in code's single use, stored before it is answered: a silo that dies after answering cannot let the code
/// be used again. Once the code has expired its record is no longer needed (the signature check refuses the code
/// first), so the grain clears it on the next activation after that.
/// </summary>
public sealed class SignInCodeGrain(
    [PersistentState("signInCode", GrainStorage.Name)] IPersistentState<SignInCodeState> code, TimeProvider clock) : Grain, ISignInCodeGrain
{
    public async Task<bool> Redeem(DateTimeOffset expiresAt)
    {
        if (code.State.RedeemedAt is not null)
        {
            return false;
        }

        code.State.RedeemedAt = clock.GetUtcNow();
        code.State.ExpiresAt = expiresAt;
        await code.WriteStateAsync();
        return true;
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (code.RecordExists && code.State.ExpiresAt < clock.GetUtcNow())
        {
            await code.ClearStateAsync(cancellationToken);
        }
    }
}
