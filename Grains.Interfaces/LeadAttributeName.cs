namespace LeadScoring.Grains.Interfaces;

/// <summary>
/// What a lead's attribute may be called: what a CRM export calls its column ("Lead Source", "Annual Revenue",
/// "Taille de l'entreprise"), so that a model trained on the export finds its columns on live leads. Names compare
/// exactly (ordinal, case-sensitive), as a CSV header and a JSON key do.
/// </summary>
public static class LeadAttributeName
{
    public const int MaxLength = 100;

    public const string Rule = "attribute names are 1-100 characters of printable text (letters of any script, digits, spaces, punctuation), " +
        "without leading or trailing spaces and without control characters";

    public static bool IsValid(string name)
    {
        if (name.Length is 0 or > MaxLength || char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1]))
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsControl(c))
            {
                return false;
            }

            if (char.IsSurrogate(c))
            {
                if (!char.IsHighSurrogate(c) || i + 1 == name.Length || !char.IsLowSurrogate(name[i + 1]))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }
}
