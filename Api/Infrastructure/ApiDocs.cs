using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace LeadScoring.Api.Infrastructure;

/// <summary>GET /openapi/v1.json (with the bearer scheme) and a browsable reference at /docs; admin-only outside Development.</summary>
public static class ApiDocs
{
    private const string Scheme = "Bearer";

    public static WebApplicationBuilder AddLeadScoringApiDocs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "LeadScoring API";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A token with the claims sub, workspace and role (admin, analyst or ingest); `./run.sh token` makes one.",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, document)] = [] }];
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication MapLeadScoringApiDocs(this WebApplication app)
    {
        var openApi = app.MapOpenApi();
        var reference = app.MapScalarApiReference("/docs", options => options.WithTitle("LeadScoring API"));
        if (!app.Environment.IsDevelopment())
        {
            openApi.RequireAuthorization(Policies.AdminInBrowser);
            reference.RequireAuthorization(Policies.AdminInBrowser);
        }

        return app;
    }
}
