using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace LeadScoring.Tests.Infrastructure;

/// <summary>
/// A real silo or API process started from the built executables (the same ones ./run.sh starts), with its
/// output captured for failure messages.
/// </summary>
public sealed class ProductProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int FirstPort = 20000;
    private const int PortRange = 12000;

    // Starts at a random place so that test runs on one machine at the same time rarely pick the same ports.
    private static int _portsHandedOut = Random.Shared.Next(PortRange);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ProductProcess(string name, Process process, Uri healthBase)
    {
        Name = name;
        _process = process;
        HealthBase = healthBase;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public Uri HealthBase { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The key test silos seal personal data with, unless the environment names another.</summary>
    public const string DataKeyBase64 = "bGVhZHNjb3JpbmctdGVzdHMtcGVyc29uYWwtZGF0YSE=";

    public static ProductProcess StartSilo(IReadOnlyDictionary<string, string> environment, int httpPort) =>
        Start("silo", "dotnet", [RepositoryPaths.SiloDll, "silo"], new Dictionary<string, string>(environment) { ["LEADSCORING_DATA_KEY"] = environment.GetValueOrDefault("LEADSCORING_DATA_KEY") ?? DataKeyBase64 }, httpPort);

    /// <summary>A silo that also serves the API on <paramref name="apiPort"/> (co-hosted), trusting <see cref="TestTokens.Key"/>.</summary>
    public static ProductProcess StartSiloWithApi(IReadOnlyDictionary<string, string> environment, int apiPort) =>
        Start("silo-with-api", "dotnet", [RepositoryPaths.SiloDll, "silo", "--with-api"], new Dictionary<string, string>(environment)
        {
            ["LEADSCORING_API_PORT"] = apiPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LEADSCORING_DATA_KEY"] = environment.GetValueOrDefault("LEADSCORING_DATA_KEY") ?? DataKeyBase64,
            ["LEADSCORING_JWT_KEY"] = environment.GetValueOrDefault("LEADSCORING_JWT_KEY") ?? TestTokens.KeyBase64,
        }, apiPort);

    /// <summary>An API process that trusts <see cref="TestTokens.Key"/> unless the environment names another key.</summary>
    public static ProductProcess StartApi(IReadOnlyDictionary<string, string> environment, int apiPort) =>
        Start("api", "dotnet", [RepositoryPaths.ApiDll], new Dictionary<string, string>(environment) { ["LEADSCORING_JWT_KEY"] = environment.GetValueOrDefault("LEADSCORING_JWT_KEY") ?? TestTokens.KeyBase64 }, apiPort);

    /// <summary>./run.sh with <paramref name="arguments"/>, as a user starts it, with the API on <paramref name="apiPort"/>; a stop is its Ctrl-C.</summary>
    public static ProductProcess StartRunScript(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, int apiPort) =>
        Start("run.sh", "bash", [RepositoryPaths.RunScript, .. arguments], environment, apiPort);

    /// <summary>
    /// A port nothing listens on, below Linux's ephemeral range (32768-60999): a port the system handed out
    /// could be taken by any outgoing connection of a parallel test before the process binds it.
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            var port = FirstPort + (int)((uint)Interlocked.Increment(ref _portsHandedOut) % PortRange);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: try the next one.
            }
        }
    }


    /// <summary>Waits until /health/ready answers 200, failing with the process output if it never does.</summary>
    public Task WaitUntilReadyAsync() => WaitForAsync("/health/ready");

    /// <summary>Waits until <paramref name="path"/> answers 200, failing with the process output if it never does.</summary>
    public async Task WaitForAsync(string path, TimeSpan? timeout = null)
    {
        try
        {
            await Eventually.True(async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{Output}");
                }

                try
                {
                    using var response = await Http.GetAsync(new Uri(HealthBase, path));
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            }, $"{Name} to answer {path}", timeout ?? TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}:\n{Output}");
        }
    }

    /// <summary>SIGKILL: the process dies at once, as in a crash or an OOM kill, with nothing flushed or said goodbye.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as Kubernetes and ./run.sh stop it, then waits for a clean exit.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = SendSignal(_process.Id, SigTerm);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private static ProductProcess Start(string name, string program, string[] args, IReadOnlyDictionary<string, string> environment, int httpPort)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        ChildEnvironment.Apply(start, new Dictionary<string, string>(environment) { ["Logging__LogLevel__Default"] = "Warning" });
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program} {string.Join(' ', args)}");
        return new ProductProcess(name, process, new Uri($"http://127.0.0.1:{httpPort}"));
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
