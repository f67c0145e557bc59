using LeadScoring.Api.Audit;
using LeadScoring.Api.Infrastructure;
using LeadScoring.Api.Model;
using LeadScoring.Api.Options;
using LeadScoring.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace LeadScoring.Api.Apis;

public sealed record WebhookEnvelope<T>(T Data);

public sealed record WebhookListResponse(IReadOnlyList<WebhookResponse> Webhooks);

public sealed record WebhookDeliveriesResponse(IReadOnlyList<WebhookDelivery> Deliveries);

public sealed record WebhookReplayResponse(int Queued);

public static class WebhooksApi
{
    private const int MaxDeliveriesListed = 500;

    public static RouteGroupBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/webhooks").WithTags("Webhooks").Authorized(Policies.Admin);
        api.MapPost("/", Create).DescribeBody<WebhookBody>().Describe("CreateWebhook", "Subscribe an endpoint to events", 400).Audited("webhook.create");
        api.MapGet("/", List).Describe("ListWebhooks", "List the workspace's webhook endpoints");
        api.MapGet("/{webhookId}", Get).Describe("GetWebhook", "Read a webhook endpoint", 404);
        api.MapPatch("/{webhookId}", Update).DescribeBody<WebhookBody>().Describe("UpdateWebhook", "Change a webhook endpoint", 400, 404).Audited("webhook.update");
        api.MapDelete("/{webhookId}", Delete).Describe("DeleteWebhook", "Delete a webhook endpoint", 404).Audited("webhook.delete");
        api.MapPost("/{webhookId}/rotate-secret", RotateSecret).DescribeBody<RotateWebhookSecretBody>().Describe("RotateWebhookSecret", "Rotate a webhook endpoint's signing secret", 400, 404).Audited("webhook.rotate_secret");
        api.MapGet("/{webhookId}/deliveries", Deliveries).Describe("ListWebhookDeliveries", "A webhook endpoint's recent delivery attempts", 400, 404);
        api.MapPost("/{webhookId}/test", Test).Describe("TestWebhook", "Send a ping event to a webhook endpoint", 404).Audited("webhook.test");
        api.MapPost("/{webhookId}/replay", Replay).DescribeBody<ReplayWebhookEventsBody>().Describe("ReplayWebhookEvents", "Send a webhook endpoint's events again", 400, 404).Audited("webhook.replay");
        return api;
    }

    public static async Task<Results<Created<WebhookEnvelope<WebhookResponse>>, ValidationProblem, ProblemHttpResult>> Create(
        HttpRequest request, IClusterClient cluster, RequestLimitOptions limits)
    {
        var body = await JsonBody.ParseAsync(request, limits.MaxBodyBytes, WebhookRequests.ParseCreate);
        if (body.Command is not { } settings)
        {
            return body.Problem is { } problem ? problem : body.Invalid!;
        }

        var result = await Webhooks(cluster, request).Create(settings);
        if (result is not { Status: WebhookStatus.Ok, Webhook: { } webhook })
        {
            return Problems.Invalid(result.Errors);
        }

        AuditTrail.Target(request.HttpContext, $"webhook:{webhook.Id}");
        return TypedResults.Created($"/api/webhooks/{webhook.Id}", new WebhookEnvelope<WebhookResponse>(WebhookResponse.From(webhook, result.Secret!)));
    }

    public static async Task<Ok<WebhookEnvelope<WebhookListResponse>>> List(HttpRequest request, IClusterClient cluster) =>
        TypedResults.Ok(new WebhookEnvelope<WebhookListResponse>(new WebhookListResponse([.. (await Webhooks(cluster, request).List()).Select(w => WebhookResponse.From(w))])));

    public static async Task<Results<Ok<WebhookEnvelope<WebhookResponse>>, ProblemHttpResult>> Get(string webhookId, HttpRequest request, IClusterClient cluster) =>
        await Webhooks(cluster, request).Get(webhookId) is { } webhook ? TypedResults.Ok(new WebhookEnvelope<WebhookResponse>(WebhookResponse.From(webhook))) : NotFound(webhookId);

    public static async Task<Results<Ok<WebhookEnvelope<WebhookResponse>>, ValidationProblem, ProblemHttpResult>> Update(
        string webhookId, HttpRequest request, IClusterClient cluster, RequestLimitOptions limits)
    {
        AuditTrail.Target(request.HttpContext, $"webhook:{webhookId}");
        var body = await JsonBody.ParseAsync(request, limits.MaxBodyBytes, WebhookRequests.ParseUpdate);
        if (body.Command is not { } settings)
        {
            return body.Problem is { } problem ? problem : body.Invalid!;
        }

        var result = await Webhooks(cluster, request).Update(webhookId, settings);
        return result.Status switch
        {
            WebhookStatus.Ok => TypedResults.Ok(new WebhookEnvelope<WebhookResponse>(WebhookResponse.From(result.Webhook!))),
            WebhookStatus.NotFound => NotFound(webhookId),
            _ => Problems.Invalid(result.Errors),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(string webhookId, HttpRequest request, IClusterClient cluster)
    {
        AuditTrail.Target(request.HttpContext, $"webhook:{webhookId}");
        return await Webhooks(cluster, request).Delete(webhookId) ? TypedResults.NoContent() : NotFound(webhookId);
    }

    /// <summary>A new secret, shown once; the old one keeps signing beside it for the grace period.</summary>
    public static async Task<Results<Ok<WebhookEnvelope<WebhookResponse>>, ValidationProblem, ProblemHttpResult>> RotateSecret(
        string webhookId, HttpRequest request, IClusterClient cluster, RequestLimitOptions limits)
    {
        AuditTrail.Target(request.HttpContext, $"webhook:{webhookId}");
        var rotation = new RotationRequest(WebhookRequests.DefaultGracePeriod);
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            var body = await JsonBody.ParseAsync(request, limits.MaxBodyBytes, WebhookRequests.ParseRotation);
            if (body.Command is not { } parsed)
            {
                return body.Problem is { } problem ? problem : body.Invalid!;
            }

            rotation = parsed;
        }

        var result = await Webhooks(cluster, request).RotateSecret(webhookId, rotation.GracePeriod);
        return result.Status == WebhookStatus.Ok
            ? TypedResults.Ok(new WebhookEnvelope<WebhookResponse>(WebhookResponse.From(result.Webhook!, result.Secret!)))
            : NotFound(webhookId);
    }

    public static async Task<Results<Ok<WebhookEnvelope<WebhookDeliveriesResponse>>, ValidationProblem, ProblemHttpResult>> Deliveries(
        string webhookId, HttpRequest request, IClusterClient cluster, [FromQuery] int? limit)
    {
        if (limit is { } n && n is < 1 or > MaxDeliveriesListed)
        {
            return Problems.Invalid([new ValidationError("limit", $"must be between 1 and {MaxDeliveriesListed}")]);
        }

        return await Webhooks(cluster, request).Deliveries(webhookId, limit ?? 100) is { } deliveries
            ? TypedResults.Ok(new WebhookEnvelope<WebhookDeliveriesResponse>(new WebhookDeliveriesResponse(deliveries)))
            : NotFound(webhookId);
    }

    /// <summary>Sends a ping event now and answers with the attempt (a failed one too: the attempt is the answer).</summary>
    public static async Task<Results<Ok<WebhookEnvelope<WebhookDelivery>>, ProblemHttpResult>> Test(string webhookId, HttpRequest request, IClusterClient cluster)
    {
        AuditTrail.Target(request.HttpContext, $"webhook:{webhookId}");
        return await Webhooks(cluster, request).Test(webhookId) is { } attempt
            ? TypedResults.Ok(new WebhookEnvelope<WebhookDelivery>(attempt))
            : NotFound(webhookId);
    }

    public static async Task<Results<Accepted<WebhookEnvelope<WebhookReplayResponse>>, ValidationProblem, ProblemHttpResult>> Replay(
        string webhookId, HttpRequest request, IClusterClient cluster, RequestLimitOptions limits)
    {
        AuditTrail.Target(request.HttpContext, $"webhook:{webhookId}");
        var body = await JsonBody.ParseAsync(request, limits.MaxBodyBytes, WebhookRequests.ParseReplay);
        if (body.Command is not { } replay)
        {
            return body.Problem is { } problem ? problem : body.Invalid!;
        }

        var result = await Webhooks(cluster, request).Replay(webhookId, replay);
        return result.Status switch
        {
            WebhookStatus.Ok => TypedResults.Accepted((string?)null, new WebhookEnvelope<WebhookReplayResponse>(new WebhookReplayResponse(result.Queued))),
            WebhookStatus.NotFound => NotFound(webhookId),
            _ => Problems.Invalid(result.Errors),
        };
    }

    private static IWebhooksGrain Webhooks(IClusterClient cluster, HttpRequest request) =>
        cluster.GetGrain<IWebhooksGrain>(Workspaces.Of(request.HttpContext));

    private static ProblemHttpResult NotFound(string webhookId) =>
        TypedResults.Problem(title: "Webhook not found", detail: $"No webhook '{webhookId}' exists in this workspace.", statusCode: StatusCodes.Status404NotFound);
}
