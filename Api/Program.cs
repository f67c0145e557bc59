using LeadScoring.Api.Apis;
using LeadScoring.Api.Audit;
using LeadScoring.Api.Infrastructure;
using Orleans.Dashboard;

if (args is ["token", .. var tokenArgs])
{
    return TokenCommand.Run(tokenArgs);
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddLeadScoringApi();
builder.AddLeadScoringSecurity();
builder.AddLeadScoringRateLimits();
builder.AddLeadScoringApiDocs();

var app = builder.Build();
app.UseLeadScoringErrorHandling();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.MapHealthApi();
var api = app.MapGroup("/api").RequireAuthorization().AddEndpointFilter<RequiresClusterConnection>().AddEndpointFilter<CallsForTokenWorkspace>()
    .AddEndpointFilter<AuditTrail>();
api.MapLeadsApi();
api.MapModelsApi(app.Configuration);
api.MapScoringApi();
api.MapExperimentsApi();
api.MapAuditApi();
app.MapLeadScoringApiDocs();
var dashboard = app.MapOrleansDashboard("/dashboard/orleans");
if (!app.Environment.IsDevelopment())
{
    dashboard.RequireAuthorization(Policies.Admin);
}

app.Run();
return 0;
