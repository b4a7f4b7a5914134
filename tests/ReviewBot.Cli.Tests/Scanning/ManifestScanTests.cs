using System.Text.Json;

namespace ReviewBot.Cli.Tests.Scanning;

/// <summary>Issue 22 item 4: <c>reviewbot scan</c> judges the repository's manifests against its Dockerfiles (RB008).</summary>
public class ManifestScanTests
{
    [Fact]
    public async Task Scan_hands_the_paths_a_compose_file_above_mounts_to_the_new_user_and_ignores_other_folders_compose_files()
    {
        // The walk tells the fix which folders hold Compose files: the one above the Dockerfile counts, a sibling's does not.
        using var temp = new TempFolder();
        temp.Write("compose.yaml", "services:\n  api:\n    build: ./services/api\n    volumes:\n      - data:/var/lib/api\nvolumes:\n  data: {}\n");
        temp.Write("services/api/Dockerfile", "FROM debian:bookworm-slim\nCOPY app /srv/app\nCMD [\"/srv/app/run\"]\n");
        temp.Write("services/web/Dockerfile", "FROM debian:bookworm-slim\nCOPY app /srv/app\nCMD [\"/srv/app/run\"]\n");
        temp.Write("services/web/compose.yaml", "services:\n  api:\n    build: ../api\n    volumes:\n      - /var/cache/other\n");

        Assert.Equal(0, (await Cli.RunAsync(temp.Root, "scan", "--fix")).ExitCode);

        var api = File.ReadAllText(Path.Combine(temp.Root, "services/api/Dockerfile"));
        Assert.Contains("/var/lib/api", api, StringComparison.Ordinal);
        Assert.DoesNotContain("/var/lib/api", File.ReadAllText(Path.Combine(temp.Root, "services/web/Dockerfile")), StringComparison.Ordinal);
        Assert.DoesNotContain("/var/cache/other", api, StringComparison.Ordinal); // a sibling folder's compose file is not above it
    }

    [Fact]
    public async Task Scan_reports_RB008_on_compose_and_kubernetes_lines_in_json_and_sarif()
    {
        using var temp = new TempFolder();
        temp.Write("Dockerfile", "FROM debian:bookworm-slim\nRUN useradd --uid 10001 app\nUSER 10001\nCMD [\"/app/run\"]\n");
        temp.Write("compose.yaml", "services:\n  web:\n    build: .\n    user: root\n");
        temp.Write("deploy/api.yaml", "kind: Service\nmetadata: {name: api}\n---\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:2\n          securityContext:\n            runAsUser: 1000\n");
        temp.Write("chart/Chart.yaml", "name: api\n");
        temp.Write("chart/templates/deployment.yaml", "{{- if .Values.enabled }}\nkind: Deployment\n{{- end }}\n");
        temp.Write("mkdocs.yml", "site_name: docs\n");
        temp.Write("reviewbot.yml", "built_images:\n  - dockerfile: Dockerfile\n    image: ghcr.io/acme/api\n");

        var run = await Cli.RunAsync(temp.Root, "scan", "--config", "reviewbot.yml", "--format", "json");

        Assert.Equal(1, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var files = json.RootElement.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!);
        Assert.Equal(["Dockerfile", "compose.yaml", "deploy/api.yaml"], files.Keys.Order(StringComparer.Ordinal)); // no template, no mkdocs.yml
        var rb008 = files.Where(f => f.Key != "Dockerfile").SelectMany(f => f.Value.GetProperty("findings").EnumerateArray().Select(x => (f.Key, x.GetProperty("ruleId").GetString(), x.GetProperty("startLine").GetInt32(), x.GetProperty("severity").GetString())));
        Assert.Equal([("compose.yaml", "RB008", 4, "error"), ("deploy/api.yaml", "RB008", 14, "warning")], rb008);

        var sarif = await Cli.RunAsync(temp.Root, "scan", "--config", "reviewbot.yml", "--format", "sarif");
        using var log = JsonDocument.Parse(sarif.Out);
        var results = log.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("ruleId").GetString(), r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString(), r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32()));
        Assert.Contains(("RB008", "deploy/api.yaml", 14), results);

        // --fix writes the manifests' suggestions too: the image's own USER applies, and the uid follows the Dockerfile.
        Assert.Equal(0, (await Cli.RunAsync(temp.Root, "scan", "--config", "reviewbot.yml", "--fix")).ExitCode);
        Assert.DoesNotContain("user: root", File.ReadAllText(Path.Combine(temp.Root, "compose.yaml")));
        Assert.Contains("runAsUser: 10001", File.ReadAllText(Path.Combine(temp.Root, "deploy/api.yaml")));
    }
}
