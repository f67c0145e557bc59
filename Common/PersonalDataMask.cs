namespace LeadScoring.Common;

/// <summary>
/// How personal data looks to roles that may not see it: enough to recognise a record you already know
/// (first letters, an e-mail's domain, a phone's last digits), not enough to learn who someone is.
/// </summary>
public static class PersonalDataMask
{
    private const string Hidden = "***";

    public static string? Email(string? email)
    {
        if (email is null)
        {
            return null;
        }

        var at = email.LastIndexOf('@');
        return at > 0 ? $"{email[0]}{Hidden}{email[at..]}" : Text(email);
    }

    /// <summary>Each word's first letter: "Jane Doe" becomes "J*** D***".</summary>
    public static string? Text(string? text) =>
        text is null ? null : string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(word => $"{word[0]}{Hidden}"));

    /// <summary>The last two digits only.</summary>
    public static string? Phone(string? phone)
    {
        if (phone is null)
        {
            return null;
        }

        var digits = phone.Where(char.IsAsciiDigit).ToArray();
        return digits.Length > 2 ? $"{Hidden}{digits[^2]}{digits[^1]}" : Hidden;
    }
}
