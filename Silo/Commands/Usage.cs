namespace LeadScoring.Silo.Commands;

internal static class Usage
{
    public const string Text = """
        usage: LeadScoring.Silo [command]
          silo (default)                         run one silo (PostgreSQL mode when LEADSCORING_POSTGRES is set)
          migrate                                apply the PostgreSQL schema (needs LEADSCORING_POSTGRES)
          simulate --leads N [--rate R] [--seed S] [--api URL]
                                                 post a deterministic synthetic CRM through the API
          import --data FILE --id-column C [--label C --positive V --negative V --deal-value-column C --close-date-column C]
                 [--join FILE:KEY]... [--workspace W] [--api URL]
                                                 import a CRM export's leads (and outcomes) through the API
          reindex [--api URL]                    rebuild the token's workspace's lead index from its leads, through the API
          train --data FILE --label COLUMN [options]   train the scoring ensemble (see README)
          models --workspace W                   list a workspace's model versions
          promote --workspace W VERSION          make VERSION the workspace's champion
          rollback --workspace W                 return to the champion before the current one
          simulated-model --workspace W [--seed S]   register a model trained on simulated history
        """;

    /// <summary>Exit code 2 for a command line that cannot be run.</summary>
    public static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        Console.Error.WriteLine(Text);
        return 2;
    }
}
