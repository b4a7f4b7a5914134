using System.Diagnostics;
using ReviewBot.Analysis.Fixes;
using ReviewBot.Analysis.Manifests;

namespace ReviewBot.Analysis.Tests.Manifests;

public class ManifestUserRuleTests
{
    private const string NamedUserDockerfile = """
        FROM debian:bookworm-slim
        RUN groupadd -g 10001 appgroup && useradd -u 10001 -g appgroup appuser
        USER appuser
        CMD ["/app"]
        """;

    private const string NumericUserDockerfile = "FROM debian:bookworm-slim\nUSER 10001:10001\nCMD [\"/app\"]\n";

    private static AnalysisResult Analyze(ManifestKind kind, string yaml, string? dockerfile = null) =>
        ManifestAnalyzer.Analyze(kind, yaml, _ => dockerfile is null ? null : new BuiltImage("Dockerfile", dockerfile));

    [Fact]
    public void Compose_user_root_over_a_non_root_Dockerfile_is_an_error_on_its_line_and_the_fix_removes_it()
    {
        var yaml = """
            x-common: &common
              restart: unless-stopped
            services:
              web:
                <<: *common
                build:
                  context: .
                user: root
                volumes:
                  - data:/var/lib/app
                  - type: bind
                    source: ./cache
                    target: /cache/
              db:
                image: postgres:16
                user: "0:0"
            volumes:
              data: {}
            """;
        var result = ManifestAnalyzer.Analyze(ManifestKind.Compose, yaml, c => c.Build is null ? null : new BuiltImage("Dockerfile", NumericUserDockerfile));

        Assert.Equal([(8, Severity.Error), (16, Severity.Error)], result.Findings.Select(f => (f.Range.Start, f.Severity)));
        Assert.All(result.Findings, f => Assert.Equal("RB008", f.RuleId));
        var fixedText = FixApplier.Apply(yaml, FixApplier.Combine([result.Findings[0].Fix!]));
        Assert.DoesNotContain("user: root", fixedText);
        Assert.Contains("user: \"0:0\"", fixedText); // db is not built here: no fix, advice instead
        Assert.NotNull(result.Findings[1].Advice);

        var web = ManifestReader.Read(ManifestKind.Compose, yaml).Containers.Single(c => c.Name == "service web");
        Assert.Equal(["/var/lib/app", "/cache"], web.MountPaths.ToArray());
    }

    [Fact]
    public void Pod_level_runAsNonRoot_over_a_named_USER_fails_to_start_and_the_fix_adds_its_uid()
    {
        var yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
            spec:
              template:
                spec:
                  securityContext:
                    runAsNonRoot: true
                    fsGroup: 10001
                  containers:
                    - name: app
                      image: ghcr.io/acme/api:1.4.2
                      volumeMounts:
                        - name: data
                          mountPath: /data
                    - name: sidecar
                      image: ghcr.io/acme/api:1.4.2
            """;
        var result = Analyze(ManifestKind.Kubernetes, yaml, NamedUserDockerfile);

        var finding = Assert.Single(result.Findings); // inherited by two containers: one problem on one line
        Assert.Equal((9, Severity.Error), (finding.Range.Start, finding.Severity));
        Assert.Contains("appuser", finding.Message);
        var fixedText = FixApplier.Apply(yaml, FixApplier.Combine([finding.Fix!]));
        Assert.Contains("\n        runAsNonRoot: true\n        runAsUser: 10001\n", fixedText.ReplaceLineEndings("\n"));
        Assert.Empty(Analyze(ManifestKind.Kubernetes, fixedText, NamedUserDockerfile).Findings);

        // A numeric USER is what runAsNonRoot can verify: nothing to say.
        Assert.Empty(Analyze(ManifestKind.Kubernetes, yaml, NumericUserDockerfile).Findings);
        // Not built here: nothing known about its USER, and runAsNonRoot alone is no problem.
        Assert.Empty(Analyze(ManifestKind.Kubernetes, yaml).Findings);
    }

    [Fact]
    public void Multi_document_manifest_flags_root_anywhere_and_a_uid_other_than_the_Dockerfile_s()
    {
        var yaml = """
            apiVersion: v1
            kind: Service
            metadata: { name: api }
            spec:
              ports: [{ port: 80 }]
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: api
            spec:
              template:
                spec:
                  containers:
                    - name: app
                      image: ghcr.io/acme/api
                      securityContext:
                        runAsUser: 1000
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: backup
            spec:
              jobTemplate:
                spec:
                  template:
                    spec:
                      securityContext:
                        runAsUser: 10001
                      containers:
                        - name: backup
                          image: busybox
                          securityContext:
                            runAsUser: 0
                            allowPrivilegeEscalation: true
                            privileged: true
            """;
        var result = ManifestAnalyzer.Analyze(ManifestKind.Kubernetes, yaml, c => c.ImageName == "ghcr.io/acme/api" ? new BuiltImage("Dockerfile", NumericUserDockerfile) : null);

        Assert.Equal([(18, Severity.Warning), (35, Severity.Error), (36, Severity.Error), (37, Severity.Error)], result.Findings.Select(f => (f.Range.Start, f.Severity)));
        var fixedText = FixApplier.Apply(yaml, FixApplier.Combine([result.Findings[0].Fix!]));
        Assert.Contains("    runAsUser: 10001\n---", fixedText.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Helm_values_literal_security_contexts_are_read_per_component()
    {
        var yaml = """
            image:
              repository: ghcr.io/acme/api
              tag: ""
            podSecurityContext:
              fsGroup: 2000
            securityContext:
              runAsNonRoot: true
              runAsUser: 1000
            worker:
              image:
                repository: ghcr.io/acme/worker
              securityContext:
                runAsUser: 0
                privileged: true
            """;
        var manifest = ManifestReader.Read(ManifestKind.HelmValues, yaml);
        Assert.Equal([("values", "ghcr.io/acme/api"), ("worker", "ghcr.io/acme/worker")], manifest.Containers.Select(c => (c.Name, c.Image)));

        var result = ManifestAnalyzer.Analyze(manifest, yaml, c => c.Image == "ghcr.io/acme/api" ? new BuiltImage("Dockerfile", NumericUserDockerfile) : null);
        Assert.Equal([8, 13, 14], result.Findings.Select(f => f.Range.Start));
        Assert.Contains("runAsUser: 10001", FixApplier.Apply(yaml, FixApplier.Combine([result.Findings[0].Fix!])));
    }

    public static TheoryData<string, string> HostileInputs { get; } = new()
    {
        // Billion laughs: each level names the one before nine times.
        { "alias bomb", "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n" + string.Concat(Enumerable.Range(1, 30).Select(i => $"{(char)('a' + i % 26)}{i}: &{(char)('a' + i % 26)}{i} [{string.Join(",", Enumerable.Repeat(i == 1 ? "*a" : $"*{(char)('a' + (i - 1) % 26)}{i - 1}", 9))}]\n")) + "securityContext: { runAsUser: 0 }\n" },
        { "deep nesting", new string('[', 100_000) + new string(']', 100_000) },
        { "deep mappings", string.Concat(Enumerable.Range(0, 5_000).Select(i => new string(' ', i) + "k:\n")) },
        { "huge file", "securityContext:\n  runAsUser: 0\n" + new string('#', ManifestReader.MaxChars) },
        { "repeated key", "services:\n  web:\n    user: root\n  web:\n    user: root\n" },
        { "not yaml", "services: [\n\t\"" },
    };

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void Hostile_text_is_refused_quickly_with_a_reason_never_a_crash(string name, string yaml)
    {
        foreach (var kind in new[] { ManifestKind.Compose, ManifestKind.Kubernetes, ManifestKind.HelmValues })
        {
            var clock = Stopwatch.StartNew();
            var result = ManifestAnalyzer.Analyze(kind, yaml, _ => new BuiltImage("Dockerfile", NumericUserDockerfile));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"{name} took {clock.Elapsed}");
            Assert.Empty(result.Findings);
            Assert.Contains("not checked", Assert.Single(result.Diagnostics).Message);
        }
    }
}
