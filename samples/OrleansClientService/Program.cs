using System.Data.Common;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Samples.OrleansClientService;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

// Syncs leads from a JSON-lines file into LeadScoring and prints each lead's score, as a CRM connector inside
// the cluster's network would: dotnet LeadScoring.Samples.OrleansClientService.dll leads.jsonl
var builder = Host.CreateApplicationBuilder(args);
// Standard output carries the results, one JSON line per lead; the log goes to standard error.
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--workspace"] = "LeadSync:Workspace" });
if (args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) is { } input)
{
    builder.Configuration["LeadSync:InputFile"] = input;
}

// The cluster is found as the silos find each other: the same LEADSCORING_* variables (ClusterSettings).
var cluster = ClusterSettings.FromConfiguration(builder.Configuration);
if (!cluster.UsesPostgres)
{
    Console.Error.WriteLine($"Set {ClusterSettings.PostgresVariable} (and LEADSCORING_CLUSTER_ID, LEADSCORING_SERVICE_ID) to the cluster's.");
    return 2;
}

DbProviderFactories.RegisterFactory(ClusterSettings.AdoNetInvariant, NpgsqlFactory.Instance);
builder.UseOrleansClient(client =>
{
    client.Configure<Orleans.Configuration.ClusterOptions>(o =>
    {
        o.ClusterId = cluster.ClusterId;
        o.ServiceId = cluster.ServiceId;
    });
    client.UseAdoNetClustering(o =>
    {
        o.Invariant = ClusterSettings.AdoNetInvariant;
        o.ConnectionString = cluster.PostgresConnectionString;
    });
});
// A grain's storage failure arrives as an exception this service can catch and retry, not as an unknown type.
builder.Services.AddStorageExceptionSerialization();
builder.Services.AddOptions<LeadSyncOptions>().BindConfiguration(LeadSyncOptions.Section)
    .Validate(o => File.Exists(o.InputFile), "Give the leads file (JSON lines) as the first argument; it must exist.")
    .Validate(o => o.Workspace.Length > 0 && !o.Workspace.Contains('/'), "--workspace: a name without '/' (it is the first part of every grain key).")
    .ValidateOnStart();
builder.Services.AddSingleton<LeadSync>();
builder.Services.AddHostedService<LeadSyncWorker>();

var host = builder.Build();
var sync = host.Services.GetRequiredService<LeadSync>();
await host.RunAsync();
return sync.Failed ? 1 : 0;
