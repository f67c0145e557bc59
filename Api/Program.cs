using LeadScoring.Api.Apis;
using LeadScoring.Api.Infrastructure;
using Orleans.Dashboard;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddLeadScoringApi();

var app = builder.Build();
app.UseLeadScoringErrorHandling();
app.MapHealthApi();
app.MapGroup("/api").AddEndpointFilter<RequiresClusterConnection>().MapLeadsApi();
app.MapOrleansDashboard("/dashboard/orleans");
app.Run();
