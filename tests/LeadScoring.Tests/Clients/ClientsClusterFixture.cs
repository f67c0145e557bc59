using LeadScoring.Client;
using LeadScoring.Tests.Infrastructure;

namespace LeadScoring.Tests.Clients;

/// <summary>
/// Silo and API processes on a fresh database, with a workspace history of 150 simulated leads (posted over plain
/// HTTP) and its first model trained: what another service finds when it starts calling LeadScoring.
/// </summary>
public sealed class ClientsClusterFixture : IAsyncLifetime
{
    public ProductCluster Cluster { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The generated typed client, with an admin token of the default workspace.</summary>
    public LeadScoringApiClient Client { get; private set; } = null!;

    /// <summary>The workspace's first model: the champion until a test promotes another.</summary>
    public string FirstModel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await ProductCluster.StartAsync();
        Http = Cluster.CreateApiClient();
        await ApiScenario.PostHistoryAsync(Http, 150, seed: 31);
        FirstModel = (await ApiScenario.TrainOnHistoryAsync(Http)).GetProperty("model_version").GetString()!;
        Client = LeadScoringApi.Create(Http.BaseAddress!, _ => Task.FromResult(TestTokens.Create()));
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Cluster.DisposeAsync();
    }
}

/// <summary>The client tests share one cluster and run one after another: the tour promotes a model.</summary>
[CollectionDefinition(Name)]
public sealed class ClientsCluster : ICollectionFixture<ClientsClusterFixture>
{
    public const string Name = "Clients cluster";
}
