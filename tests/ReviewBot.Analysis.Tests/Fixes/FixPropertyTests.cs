using ReviewBot.Analysis.Fixes;
using Xunit.Abstractions;

namespace ReviewBot.Analysis.Tests.Fixes;

/// <summary>
/// Over every Dockerfile the tests know (the inline samples and the shared corpus): applying all fixes gives a
/// file that parses as well as before, no longer runs as root, and differs from the original only by the edits.
/// </summary>
public class FixPropertyTests(ITestOutputHelper output)
{
    public static TheoryData<string> Samples { get; } =
    [
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl sudo\nCOPY app /app\nEXPOSE 80\nCMD [\"/app/run\"]\n",
        "FROM python:3.12-alpine\nWORKDIR /srv\nCOPY . .\nEXPOSE 443\nCMD [\"python\", \"main.py\"]\n",
        "FROM node:20\nUSER root\nRUN apt-get update\nCOPY . /app\nEXPOSE 80\nCMD [\"node\", \"x.js\"]\n",
        "FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nEXPOSE 80\nENTRYPOINT [\"/app\"]\n",
        "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY out/ /app/\nENTRYPOINT [\"dotnet\", \"/app/Api.dll\"]\n",
        "FROM ubuntu:24.04\nRUN useradd -o -u 0 admin\nUSER admin\nCMD x\n",
        "# escape=`\r\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\r\nRUN dir `\r\n  c:\\\r\nCMD x\r\n",
        "FROM debian:bookworm-slim\nARG U\nUSER ${U:-root}\nCMD x\n",
        "FROM registry.access.redhat.com/ubi9/ubi-minimal\nCOPY app /app\nCMD [\"/app\"]\n",
        "FROM alpine:3.20 AS base\nRUN apk add --no-cache curl\nFROM base\nCOPY x /x",
        "FROM debian:bookworm-slim\nRUN <<EOF\nset -e\napt-get update\nEOF\nCOPY --chown=root:root app /app\nUSER root\n",
        "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nUSER node\nEXPOSE 80\n",
    ];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Fixing_a_sample_leaves_no_root_and_only_the_edits(string dockerfile)
    {
        var failure = Check(dockerfile);
        Assert.True(failure is null, failure);
    }

    [Fact]
    public void Fixing_every_corpus_file_leaves_no_root_and_only_the_edits()
    {
        if (SharedCorpus.Directory is null)
        {
            output.WriteLine(SharedCorpus.AbsentMessage);
            return;
        }

        var (files, failures) = Corpus.Check(text => Check(text) is { } failure ? [failure] : []);

        output.WriteLine($"{files} corpus files checked, {failures.Count} failed");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    /// <summary>Null when the property holds, else what broke.</summary>
    internal static string? Check(string dockerfile)
    {
        var before = DockerfileAnalyzer.Analyze(dockerfile);
        var edits = FixApplier.Combine(before.Findings.Where(f => f.Fix is not null).Select(f => f.Fix!));
        string fixedText = FixApplier.Apply(dockerfile, edits);
        var after = DockerfileAnalyzer.Analyze(fixedText);

        if (after.Diagnostics.Length > before.Diagnostics.Length)
        {
            return $"the fixed file reads worse: {string.Join("; ", after.Diagnostics.Select(d => d.Message))}\n{fixedText}";
        }

        bool rootWasFixable = before.Findings.Any(f => f.RuleId == "RB001" && f.Fix is not null);
        if (rootWasFixable && after.Findings.Any(f => f.RuleId == "RB001"))
        {
            return $"still runs as root after the fix:\n{fixedText}";
        }

        // Every original line outside the replaced ranges survives, in order.
        var original = LineTable.Split(dockerfile);
        var replaced = new HashSet<int>(edits.Where(e => !e.IsInsertion).SelectMany(e => Enumerable.Range(e.StartLine, e.EndLine - e.StartLine + 1)));
        var kept = Enumerable.Range(1, original.Count).Where(l => !replaced.Contains(l)).Select(l => original[l - 1].TrimEnd('\r', '\n')).ToList();
        var result = LineTable.Split(fixedText).Select(l => l.TrimEnd('\r', '\n')).ToList();
        int k = 0;
        foreach (var line in result)
        {
            if (k < kept.Count && line == kept[k])
            {
                k++;
            }
        }

        int added = edits.Sum(e => LineTable.Split(e.NewText).Count);
        if (k != kept.Count || result.Count != kept.Count + added)
        {
            return $"the fix changed more than its edits:\n{fixedText}";
        }

        return null;
    }
}
