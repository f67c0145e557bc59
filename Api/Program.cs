using LeadScoring.Api.Apis;
using LeadScoring.Api.Infrastructure;
using Orleans.Dashboard;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddLeadScoringApi();

var app = builder.Build();
app.UseLeadScoringErrorHandling();
app.MapHealthApi();
var api = app.MapGroup("/api").AddEndpointFilter<RequiresClusterConnection>();
api.MapLeadsApi();
api.MapModelsApi(app.Configuration);
api.MapScoringApi();
app.MapOrleansDashboard("/dashboard/orleans");
app.Run();
