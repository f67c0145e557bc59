using LeadScoring.Api.Infrastructure;

if (args is ["token", .. var tokenArgs])
{
    return TokenCommand.Run(tokenArgs);
}

if (args is ["signin-link", .. var linkArgs])
{
    return TokenCommand.Run(linkArgs, signInLink: true);
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddLeadScoringApi().AddLeadScoringClusterClient();
var app = builder.Build();
app.UseLeadScoringApi();
app.Run();
return 0;
