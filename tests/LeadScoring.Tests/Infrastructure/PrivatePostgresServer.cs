using System.Globalization;

namespace LeadScoring.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of the test's own, which it may stop and start (a database restart under load) without
/// touching the server the other tests share. Debian's binaries, a temporary data directory, loopback only, and
/// PostgreSQL's durable defaults: a stop without a checkpoint loses nothing committed, as on a real server.
/// </summary>
public sealed class PrivatePostgresServer : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _directory;
    private readonly int _port;

    private PrivatePostgresServer(string bin, string directory, int port)
    {
        _bin = bin;
        _directory = directory;
        _port = port;
    }

    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=leadscoring;Database=postgres";

    public static async Task<PrivatePostgresServer> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql")
            .Select(version => Path.Combine(version, "bin"))
            .Where(path => File.Exists(Path.Combine(path, "pg_ctl")))
            .OrderBy(path => int.Parse(Path.GetFileName(Path.GetDirectoryName(path))!, CultureInfo.InvariantCulture))
            .Last();
        var directory = Directory.CreateTempSubdirectory("leadscoring-pg-fault.").FullName;
        var server = new PrivatePostgresServer(bin, directory, ProductProcess.FreePort());
        if (Environment.UserName == "root")
        {
            await CommandLine.RunCheckedAsync("chown", ["postgres", directory]);
        }

        await server.PostgresAsync("initdb", "-D", server.Data, "-U", "leadscoring", "-A", "trust", "--no-sync", "-E", "UTF8");
        await server.StartPostgresAsync();
        return server;
    }

    /// <summary>Stops the server at once, as a crash or a kill would (connections cut, no checkpoint).</summary>
    public Task StopAsync() => PostgresAsync("pg_ctl", "-D", Data, "-m", "immediate", "-w", "stop");

    public Task StartPostgresAsync() => PostgresAsync(
        "pg_ctl", "-D", Data, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60",
        "-o", $"-p {_port} -k {_directory} -c listen_addresses=127.0.0.1",
        "start");

    public async ValueTask DisposeAsync()
    {
        await PostgresAsync("pg_ctl", "-D", Data, "-m", "immediate", "-w", "stop").ContinueWith(_ => { });
        Directory.Delete(_directory, recursive: true);
    }

    private string Data => Path.Combine(_directory, "data");

    /// <summary>PostgreSQL refuses to run as root: as root, its tools run as the postgres account Debian creates.</summary>
    private Task PostgresAsync(string tool, params string[] arguments) =>
        Environment.UserName == "root"
            ? CommandLine.RunCheckedAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments])
            : CommandLine.RunCheckedAsync(Path.Combine(_bin, tool), arguments);
}
