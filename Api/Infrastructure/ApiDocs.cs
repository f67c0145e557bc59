using System.Text.Json;
using LeadScoring.Api.Model;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace LeadScoring.Api.Infrastructure;

/// <summary>GET /openapi/v1.json (with the bearer scheme) and a browsable reference at /docs; admin-only outside Development.</summary>
public static class ApiDocs
{
    private const string Scheme = "Bearer";

    /// <summary>One tag per endpoint group, in the order a reader meets them.</summary>
    private static readonly (string Name, string Description)[] Tags =
    [
        ("Leads", "Leads, their activities, outcomes and consent; the lead list and its summary."),
        ("Import", "Importing a CRM export as leads with their outcomes."),
        ("Scoring", "Scores with their explanations, one lead or many; score history, metrics and drift."),
        ("Models", "Training, the model registry (promote, roll back) and retraining."),
        ("Experiments", "A/B tests between model versions."),
        ("Events", "The workspace's events as a live stream."),
        ("Webhooks", "Endpoints that receive the workspace's events, signed."),
        ("Audit", "Who did what, when."),
        ("Health", "Liveness and readiness, without a token."),
    ];

    public static WebApplicationBuilder AddLeadScoringApiDocs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            // The product's API only: the Orleans dashboard's routes are the dashboard's own.
            options.ShouldInclude = description => description.GroupName is null or "v1"
                && !(description.RelativePath ?? "").StartsWith("dashboard", StringComparison.Ordinal);
            options.AddDocumentTransformer((document, _, _) => Describe(document));
            options.AddSchemaTransformer((schema, context, _) =>
            {
                // The API leaves null fields out (WhenWritingNull): a nullable field is never required.
                foreach (var property in context.JsonTypeInfo.Properties)
                {
                    if (property.IsGetNullable || Nullable.GetUnderlyingType(property.PropertyType) is not null)
                    {
                        schema.Required?.Remove(property.Name);
                    }
                }

                // Numbers go through RoundedDoubleConverter, which hides their type from the schema generator.
                if (context.JsonTypeInfo.Type == typeof(double) || context.JsonTypeInfo.Type == typeof(double?))
                {
                    schema.Type = JsonSchemaType.Number | (context.JsonTypeInfo.Type == typeof(double?) ? JsonSchemaType.Null : 0);
                }

                return Task.CompletedTask;
            });
            // An operation that needs no token (health) says so rather than inheriting the document's bearer requirement.
            options.AddOperationTransformer((operation, context, _) =>
            {
                if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any())
                {
                    operation.Security = [];
                }

                operation.Description = operation.OperationId is { } id ? OperationDescriptions.For(id) : null;
                return OperationExamples.AddTo(operation);
            });
        });
        return builder;
    }

    private static Task Describe(OpenApiDocument document)
    {
        document.Info.Title = "LeadScoring API";
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        document.Info.Description = "Lead scores in real time, with their reasons and what to do next. Every /api operation needs a bearer token " +
            "whose workspace it acts in; problems are application/problem+json (docs/api.md).";
        // A batch's results are summaries, or whole scores with insights: a summary's fields are a whole score's
        // first ones, so a client reads both as a whole score (serialized as object, they would be untyped).
        if (document.Components?.Schemas?.TryGetValue(nameof(BatchScoreResponse), out var batch) == true && batch.Properties?["results"] is OpenApiSchema results
            && document.Components.Schemas[nameof(ScoreResponse)] is OpenApiSchema score)
        {
            results.Items = new OpenApiSchemaReference(nameof(ScoreResponse), document);
            results.Description = "Each lead's score: its headline (lead_id to cached) unless include_insights was asked for.";
            var headline = typeof(ScoreSummaryResponse).GetProperties().Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)).ToHashSet(StringComparer.Ordinal);
            score.Required?.ExceptWith([.. score.Required.Where(name => !headline.Contains(name))]);
        }

        // Every problem the API writes carries the request's trace (ASP.NET Core's problem details service adds it).
        foreach (var problem in new[] { "ProblemDetails", "HttpValidationProblemDetails" })
        {
            if (document.Components?.Schemas?.TryGetValue(problem, out var schema) == true && schema is OpenApiSchema details)
            {
                details.Properties ??= new Dictionary<string, IOpenApiSchema>();
                details.Properties["trace_id"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's W3C traceparent, to quote when reporting a problem." };
            }
        }

        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
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
