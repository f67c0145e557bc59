using LeadScoring.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace LeadScoring.Tests;

/// <summary>Offline checks of k8s/: what kubectl would accept is not enough, the pieces must fit together.</summary>
[Trait("Category", "Unit")]
public class KubernetesManifestTests
{
    // The health endpoints both executables serve (exercised for real by the process tests).
    private static readonly string[] HealthPaths = ["/health", "/health/ready"];

    private static readonly string K8sDirectory = Path.Combine(RepositoryPaths.Root, "k8s");

    [Fact]
    public void Kustomization_lists_every_manifest_and_nothing_missing()
    {
        var resources = Sequence(Load("kustomization.yaml")[0], "resources").Select(r => r.ToString()).ToList();
        var files = Directory.GetFiles(K8sDirectory, "*.yaml").Select(Path.GetFileName).Where(f => f != "kustomization.yaml");

        Assert.Equal(files.Order(), resources.Order());
    }

    [Fact]
    public void Deployments_select_their_own_pods_and_probe_real_health_endpoints()
    {
        var deployments = All().Where(d => Scalar(d, "kind") == "Deployment").ToList();
        Assert.Equal(2, deployments.Count);
        foreach (var deployment in deployments)
        {
            var selector = Map(deployment, "spec", "selector", "matchLabels");
            var podLabels = Map(deployment, "spec", "template", "metadata", "labels");
            Assert.All(selector, label => Assert.Equal(label.Value, podLabels[label.Key]));

            var container = (YamlMappingNode)Sequence(deployment, "spec", "template", "spec", "containers")[0];
            var portNames = Sequence(container, "ports").Select(p => Scalar(p, "name")).ToHashSet();
            foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
            {
                Assert.Contains(Scalar(container, probe, "httpGet", "path"), HealthPaths);
                Assert.Contains(Scalar(container, probe, "httpGet", "port"), portNames);
            }

            // Every variable read from a Secret names a Secret and key the manifests define.
            var fromSecrets = Sequence(container, "env").Where(e => Map(e).ContainsKey("valueFrom") && Map(e, "valueFrom").ContainsKey("secretKeyRef")).ToList();
            Assert.Contains(fromSecrets, e => Scalar(e, "name") == "LEADSCORING_POSTGRES");
            foreach (var variable in fromSecrets)
            {
                var secretName = Scalar(variable, "valueFrom", "secretKeyRef", "name");
                var secret = All().Single(d => Scalar(d, "kind") == "Secret" && Scalar(d, "metadata", "name") == secretName);
                Assert.Contains(Scalar(variable, "valueFrom", "secretKeyRef", "key"), Map(secret, "stringData").Keys);
            }

            Assert.Contains(fromSecrets, e => Scalar(e, "name") == (Scalar(deployment, "metadata", "name") == "leadscoring-api" ? "LEADSCORING_JWT_KEY" : "LEADSCORING_DATA_KEY"));
        }
    }

    [Fact]
    public void Silos_run_at_least_two_replicas_that_advertise_their_pod_address()
    {
        var silo = All().Single(d => Scalar(d, "kind") == "Deployment" && Scalar(d, "metadata", "name") == "leadscoring-silo");
        var container = Sequence(silo, "spec", "template", "spec", "containers")[0];
        var env = Sequence(container, "env").ToDictionary(e => Scalar(e, "name"));

        Assert.True(int.Parse(Scalar(silo, "spec", "replicas"), System.Globalization.CultureInfo.InvariantCulture) >= 2);
        Assert.Equal("status.podIP", Scalar(env["POD_IP"], "valueFrom", "fieldRef", "fieldPath"));
        Assert.Equal("metadata.name", Scalar(env["POD_NAME"], "valueFrom", "fieldRef", "fieldPath"));
        foreach (var variable in new[] { "LEADSCORING_SILO_PORT", "LEADSCORING_GATEWAY_PORT", "LEADSCORING_SILO_HTTP_PORT" })
        {
            var port = Scalar(env[variable], "value");
            Assert.Contains(Sequence(container, "ports"), p => Scalar(p, "containerPort") == port);
        }
    }

    [Fact]
    public void Service_and_disruption_budgets_match_the_pods_they_cover()
    {
        var deployments = All().Where(d => Scalar(d, "kind") == "Deployment")
            .ToDictionary(d => Scalar(d, "metadata", "name"), d => Map(d, "spec", "template", "metadata", "labels"));
        var service = All().Single(d => Scalar(d, "kind") == "Service");
        var budgets = All().Where(d => Scalar(d, "kind") == "PodDisruptionBudget").ToList();

        Assert.Equal(Map(service, "spec", "selector"), deployments["leadscoring-api"]);
        Assert.Equal(2, budgets.Count);
        Assert.All(budgets, budget =>
        {
            var selector = Map(budget, "spec", "selector", "matchLabels");
            Assert.Contains(deployments.Values, labels => selector.All(l => labels.GetValueOrDefault(l.Key) == l.Value));
        });
    }

    private static List<YamlNode> Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(K8sDirectory, file));
        stream.Load(reader);
        return [.. stream.Documents.Select(d => d.RootNode)];
    }

    private static List<YamlNode> All() =>
        [.. Directory.GetFiles(K8sDirectory, "*.yaml").Where(f => !f.EndsWith("kustomization.yaml", StringComparison.Ordinal)).SelectMany(f => Load(Path.GetFileName(f)))];

    private static YamlNode Node(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }

        return node;
    }

    private static string Scalar(YamlNode node, params string[] path) => ((YamlScalarNode)Node(node, path)).Value!;

    private static List<YamlNode> Sequence(YamlNode node, params string[] path) => [.. ((YamlSequenceNode)Node(node, path)).Children];

    private static Dictionary<string, string> Map(YamlNode node, params string[] path) =>
        ((YamlMappingNode)Node(node, path)).Children.ToDictionary(c => c.Key.ToString(), c => c.Value.ToString());
}
