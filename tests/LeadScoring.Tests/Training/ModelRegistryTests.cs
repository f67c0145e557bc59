using LeadScoring.Grains.Models;
using LeadScoring.Grains.Storage;
using LeadScoring.Modeling.Tests.Training;
using LeadScoring.Modeling.Training;
using LeadScoring.Tests.Infrastructure;
using Npgsql;

namespace LeadScoring.Tests.Training;

[Trait("Category", "Cluster")]
[Trait("Category", "Postgres")]
public class ModelRegistryTests(TrainedSyntheticModel trained) : IClassFixture<TrainedSyntheticModel>
{
    [Fact]
    public Task Memory_registry_versions_promotes_and_rolls_back() => Exercise(new InMemoryModelRegistry());

    [Fact]
    public async Task Postgres_registry_versions_promotes_and_rolls_back()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.MigrateAsync();
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);

        await Exercise(new PostgresModelRegistry(dataSource));

        // Rollbacks keep the history: the rolled-back promotion is stamped, not deleted.
        Assert.Equal(1, await database.CountAsync("SELECT count(*) FROM model_promotions WHERE rolled_back_at IS NOT NULL"));
        Assert.Equal(3, await database.CountAsync("SELECT count(*) FROM model_promotions"));
    }

    private async Task Exercise(IModelRegistry registry)
    {
        Assert.Null(await registry.ChampionAsync("acme"));
        Assert.Null(await registry.RollbackAsync("acme"));

        var first = await registry.RegisterAsync("acme", trained.Result);
        var second = await registry.RegisterAsync("acme", trained.Result);
        var elsewhere = await registry.RegisterAsync("globex", trained.Result);

        Assert.Equal(("v1", "v2", "v1"), (first.Version, second.Version, elsewhere.Version));
        Assert.False(await registry.PromoteAsync("acme", "v3", "no such version"));
        Assert.True(await registry.PromoteAsync("acme", "v1", "first"));
        Assert.True(await registry.PromoteAsync("acme", "v2", "better"));
        Assert.True(await registry.PromoteAsync("globex", "v1", "first"));
        Assert.Equal("v2", await registry.ChampionAsync("acme"));

        var listed = await registry.ListAsync("acme");
        Assert.Equal(["v1", "v2"], listed.Select(v => v.Version));
        Assert.Equal([false, true], listed.Select(v => v.IsChampion));
        Assert.Equal(trained.Result.Report.Holdout.Auc, listed[0].Report.Holdout.Auc, 12);
        Assert.Equal(trained.Result.Report.DataFingerprint, listed[0].DataFingerprint);

        var loaded = await registry.GetAsync("acme", "v2");
        Assert.NotNull(loaded);
        Assert.True(loaded.Value.Version.IsChampion);
        Assert.Equal(trained.Result.Artifact.Serialize(), loaded.Value.Artifact.Serialize());
        Assert.Null(await registry.GetAsync("acme", "v7"));

        Assert.Equal("v1", await registry.RollbackAsync("acme"));
        Assert.Equal("v1", await registry.ChampionAsync("acme"));
        Assert.Null(await registry.RollbackAsync("acme"));
        Assert.Equal("v1", await registry.ChampionAsync("globex"));
    }
}
