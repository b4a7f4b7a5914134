using ReviewBot.Analysis.Fixes;
using ReviewBot.Analysis.Tests.Rules;
using Xunit.Abstractions;

namespace ReviewBot.Analysis.Tests.Fixes;

/// <summary>
/// No fix can break the build: every suggestion, clicked alone, and all of them together, pass
/// <see cref="BuildSafetyChecker"/> over the test Dockerfiles, generated shapes and the shared corpus.
/// </summary>
public class BuildSafetyPropertyTests(ITestOutputHelper output)
{
    /// <summary>Dockerfiles the other tests use, and the hostile ones.</summary>
    public static TheoryData<string> TestDockerfiles { get; } = Build();

    private static TheoryData<string> Build()
    {
        var data = new TheoryData<string>();
        foreach (var row in FixPropertyTests.Samples)
        {
            data.Add(row);
        }

        foreach (var text in new[]
        {
            CopyWithoutChownRuleTests.Canonical,
            CopyWithoutChownRuleTests.Canonical.Replace("RUN groupadd -r appgroup && useradd -r -g appgroup --no-create-home appuser\n", "").Replace("--chown=appuser:appgroup ", "").Replace("USER appuser\n", ""),
            "FROM debian:bookworm-slim\nCOPY app /srv/app\nRUN useradd -r app\nUSER app\nCMD x\n",
            "FROM debian:bookworm-slim\nUSER @octocat\nCMD x\n",
            "FROM debian:bookworm-slim\nWORKDIR /srv/$(curl x|sh)\nCOPY . .\nCMD x\n",
            "FROM debian:bookworm-slim\nWORKDIR /srv/`id`;reboot\nCMD x\n",
            "FROM debian:bookworm-slim\nARG RUN_AS=root\nARG APP_HOME=/opt/app\nENV APP_USER=${RUN_AS} \\\n    APP_HOME=${APP_HOME}\nRUN mkdir -p ${APP_HOME}\nUSER ${APP_USER}\nWORKDIR ${APP_HOME}\nCOPY job.sh ./\nCMD x\n",
            "FROM node:20-slim\nWORKDIR /app\nCOPY package.json .\nRUN npm ci\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
            "FROM nginx:1.27\nCOPY nginx.conf /etc/nginx/conf.d/default.conf\nCOPY site/ /usr/share/nginx/html/\nEXPOSE 80\n",
            "FROM httpd:2.4\nCOPY site/ /usr/local/apache2/htdocs/\nEXPOSE 80\n",
            "FROM alpine:3.20\nRUN apk add --no-cache curl\nCOPY app /app\nUSER root\nRUN apk add --no-cache git\nCMD x\n",
            "FROM debian:bookworm-slim\nUSER nobody\nRUN mkdir /x\nUSER root\nRUN apt-get update\nCOPY . /srv\nCMD x\n",
        })
        {
            data.Add(text);
        }

        return data;
    }

    /// <summary>Shapes the engine must handle: every base kind × where users come from × how files arrive × ports.</summary>
    public static IEnumerable<string> Generated()
    {
        string[] bases = ["debian:bookworm-slim", "ubuntu:24.04", "alpine:3.20", "python:3.12-slim", "node:20-slim", "mcr.microsoft.com/dotnet/aspnet:8.0",
            "registry.access.redhat.com/ubi9/ubi-minimal", "gcr.io/distroless/static-debian12", "scratch", "nginx:1.27", "busybox:1.36", "registry.example.com/x:1"];
        string[] users = ["", "USER root\n", "ARG U=root\nUSER ${U}\n", "RUN useradd -r svc\nUSER svc\n", "USER 0\n"];
        string[] files = ["COPY app /app\n", "WORKDIR /srv\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n", "WORKDIR /data\nVOLUME /data\n", "COPY --from=build /out /app\n",
            "ENV HOME_DIR=/srv/h\nWORKDIR ${HOME_DIR}/a;b `c` $(d) 'e'\nRUN mkdir -p /var/lib/x$(id) /var/lib/ok\nCOPY . .\n"];
        string[] tails = ["CMD [\"/app/run\"]\n", "RUN apt-get update && apt-get install -y curl\nEXPOSE 80\nCMD x\n", "EXPOSE 443\nENTRYPOINT [\"x\"]\n"];
        foreach (var image in bases)
        {
            foreach (var user in users)
            {
                foreach (var file in files)
                {
                    foreach (var tail in tails)
                    {
                        string from = file.Contains("--from=build", StringComparison.Ordinal) ? "FROM golang:1.22 AS build\nRUN go build -o /out .\n" : "";
                        yield return $"{from}FROM {image}\n{user}{file}{tail}";
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestDockerfiles))]
    public void Fixes_of_test_dockerfiles_cannot_break_the_build(string dockerfile)
    {
        var problems = Problems(dockerfile);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Fixes_of_generated_shapes_cannot_break_the_build()
    {
        var failures = Generated().SelectMany(text => Problems(text).Select(p => $"{p}\n---\n{text}---")).ToList();
        output.WriteLine($"{Generated().Count()} shapes, {failures.Count} problems");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
    }

    [Fact]
    public void Fixes_of_every_corpus_file_cannot_break_the_build()
    {
        if (SharedCorpus.Directory is null)
        {
            output.WriteLine(SharedCorpus.AbsentMessage);
            return;
        }

        var (files, failures) = Corpus.Check(Problems);

        output.WriteLine($"{files} corpus files, {failures.Count} problems");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)));
    }

    [Theory]
    [InlineData("FROM debian:bookworm-slim\nCOPY app /app\nCMD x\n", 2, 2, "COPY --chown=appuser app /app\n", "does not exist")]
    [InlineData("FROM debian:bookworm-slim\nRUN apt-get update\nCMD x\n", 2, 1, "USER 1000\n", "needs root")]
    [InlineData("FROM alpine:3.20\nCMD x\n", 2, 1, "RUN groupadd -r a && useradd -r -g a a\n", "addgroup/adduser")]
    [InlineData("FROM debian:bookworm-slim\nCMD x\n", 2, 1, "RUN addgroup -S a && adduser -S -G a -H -D a\n", "groupadd/useradd")]
    [InlineData("FROM gcr.io/distroless/static-debian12\nCMD x\n", 2, 1, "RUN true\nUSER 65532\n", "no shell")]
    [InlineData("FROM debian:bookworm-slim\nCOPY app /app\nRUN useradd app\nCMD x\n", 2, 2, "COPY --chown=app app /app\n", "does not exist")]
    [InlineData("FROM debian:bookworm-slim\nCMD x\n", 2, 1, "RUN mkdir /x && chown app /x\n", "does not exist")]
    [InlineData("FROM debian:bookworm-slim\nCMD x\n", 2, 1, "USER a b\n", "not a name")]
    [InlineData("FROM debian:bookworm-slim\nWORKDIR /srv/`id`\nCMD x\n", 3, 2, "RUN mkdir -p /srv/`id`\n", "command substitution")]
    [InlineData("FROM debian:bookworm-slim\nWORKDIR /srv/a;id\nCMD x\n", 3, 2, "RUN mkdir -p /srv/a;id\n", "';'")]
    [InlineData("FROM debian:bookworm-slim\nWORKDIR /srv/a\nCMD x\n", 3, 2, "RUN mkdir -p \"/srv/$(id)\"\n", "command substitution")]
    [InlineData("FROM python:3.12-slim\nCOPY r.txt .\nRUN pip install -r r.txt\nCMD x\n", 3, 2, "USER 1000\n", "needs root")]
    public void The_checker_catches_each_kind_of_breakage(string original, int start, int end, string newText, string problem)
    {
        var problems = BuildSafetyChecker.Check(original, [new TextEdit(start, end, newText)]);
        Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    private static List<string> Problems(string dockerfile)
    {
        var findings = DockerfileAnalyzer.Analyze(dockerfile).Findings.Where(f => f.Fix is not null).ToList();
        var problems = new List<string>();
        foreach (var finding in findings)
        {
            problems.AddRange(BuildSafetyChecker.Check(dockerfile, finding.Fix!.Edits).Select(p => $"{finding.RuleId} alone: {p}"));
        }

        if (findings.Count > 1)
        {
            problems.AddRange(BuildSafetyChecker.Check(dockerfile, FixApplier.Combine(findings.Select(f => f.Fix!))).Select(p => $"all fixes: {p}"));
        }

        return problems;
    }
}
