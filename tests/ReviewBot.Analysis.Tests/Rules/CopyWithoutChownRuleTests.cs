using Xunit.Abstractions;
using static ReviewBot.Analysis.Tests.RuleAssert;

namespace ReviewBot.Analysis.Tests.Rules;

public class CopyWithoutChownRuleTests(ITestOutputHelper output)
{
    private const string NodeApp = "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n";

    /// <summary>The way the Python docs and most tutorials write it: dependencies first, the app's files chowned last.</summary>
    internal const string Canonical =
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n" +
        "RUN groupadd -r appgroup && useradd -r -g appgroup --no-create-home appuser\nCOPY --chown=appuser:appgroup . .\nUSER appuser\nCMD [\"python\", \"app.py\"]\n";

    [Fact]
    public void Non_root_image_with_root_owned_app_files_is_reported()
    {
        var finding = Reports("RB003", NodeApp, line: 3);
        Assert.Equal(Severity.Notice, finding.Severity);
        Assert.Equal(NodeApp.Replace("COPY . .", "COPY --chown=node . ."), Apply(NodeApp, finding));
    }

    [Fact]
    public void Canonical_python_file_with_manifest_first_and_chowned_app_last_is_clean()
    {
        Assert.Empty(DockerfileAnalyzer.Analyze(Canonical).Findings);
    }

    [Fact]
    public void Dependency_manifests_copied_for_an_install_are_build_inputs()
    {
        DoesNotReport("RB003", "FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci\nCOPY --chown=node:node src/ ./src/\nUSER node\nCMD x\n");
    }

    [Fact]
    public void Quoted_exec_form_and_path_manifests_are_build_inputs_but_not_with_other_files()
    {
        DoesNotReport("RB003", "FROM node:20-slim\nWORKDIR /app\nCOPY [\"package.json\", \"web/yarn.lock\", \"./\"]\nRUN npm ci\nUSER node\nCMD x\n");
        DoesNotReport("RB003", "FROM python:3.12-slim\nWORKDIR /app\nCOPY \"requirements-dev.txt\"\t'App.csproj' ./\nRUN pip install -r requirements-dev.txt\nUSER 1000\nCMD x\n");
        Reports("RB003", "FROM node:20-slim\nWORKDIR /app\nCOPY package.json server.js ./\nRUN npm ci\nUSER node\nCMD x\n", line: 3);
        Reports("RB003", "FROM node:20-slim\nWORKDIR /app\nCOPY [\"start.sh\", \"data.db\", \"./\"]\nUSER node\nCMD x\n", line: 3);
        DoesNotReport("RB003", "FROM node:20-slim\nWORKDIR /app\nCOPY [\"start.sh\", \"hooks/10-env.ENVSH\", \"./\"]\nUSER node\nCMD x\n");
    }

    [Fact]
    public void A_manifest_no_step_uses_is_still_the_applications()
    {
        Reports("RB003", "FROM node:20-slim\nWORKDIR /app\nCOPY package.json ./\nUSER node\nCMD x\n", line: 3);
    }

    [Fact]
    public void Build_output_from_another_stage_and_entrypoint_scripts_are_code_not_written_files()
    {
        DoesNotReport("RB003", "FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM node:20-slim\nWORKDIR /app\nCOPY --from=build /out/app .\nCOPY docker-entrypoint.sh 10-setup.envsh /docker-entrypoint.d/\nUSER node\nCMD x\n");
    }

    [Fact]
    public void A_later_chowned_copy_over_a_parent_folder_covers_the_earlier_copy()
    {
        DoesNotReport("RB003", "FROM node:20-slim\nCOPY config/app.json /srv/app/config/app.json\nCOPY --chown=node:node . /srv/app\nUSER node\nCMD x\n");
    }

    [Fact]
    public void A_later_chowned_copy_elsewhere_does_not_cover()
    {
        Reports("RB003", "FROM node:20-slim\nCOPY data/ /srv/data/\nCOPY --chown=node:node . /srv/app\nUSER node\nCMD x\n", line: 2);
    }

    [Fact]
    public void A_later_copy_that_gives_files_to_root_does_not_cover()
    {
        Reports("RB003", "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCOPY --chown=root:root x.js .\nUSER node\nCMD x\n", line: 3);
    }

    [Fact]
    public void Copy_before_the_user_exists_gets_no_chown_naming_it_and_says_what_to_do()
    {
        var finding = Reports("RB003", "FROM debian:bookworm-slim\nCOPY app /srv/app\nRUN useradd -r app\nUSER app\nCMD x\n", line: 2);
        Assert.Null(finding.Fix);
        Assert.Contains("created only at line 3", finding.Message);
    }

    [Fact]
    public void Copy_after_the_user_exists_gets_the_chown()
    {
        var text = "FROM debian:bookworm-slim\nRUN useradd -r app\nCOPY app /srv/app\nUSER app\nCMD x\n";
        Assert.Equal(text.Replace("COPY app", "COPY --chown=app app"), Apply(text, Reports("RB003", text, line: 3)));
    }

    [Fact]
    public void Chowned_and_system_copies_are_not_reported()
    {
        DoesNotReport("RB003", "FROM node:20-slim\nCOPY --chown=node:node . /app\nCOPY bin/tool /usr/local/bin/\nCOPY --from=node:20 /usr/lib/ /\nUSER node\n");
    }

    [Fact]
    public void Root_images_are_left_to_rb001()
    {
        DoesNotReport("RB003", "FROM node:20-slim\nCOPY . /app\n");
    }

    [Fact]
    public void Created_group_of_the_same_name_is_used()
    {
        var text = "FROM debian:bookworm-slim\nRUN groupadd -r app && useradd -r -g app app\nCOPY . /app\nUSER app\n";
        Assert.Contains("COPY --chown=app:app . /app", Apply(text, Reports("RB003", text, line: 3)));
    }

    [Fact]
    public void Chown_option_off_disables_it()
    {
        DoesNotReport("RB003", NodeApp, new AnalyzerOptions { Chown = false });
    }

    /// <summary>Not an assertion: how often RB003 fires over the shared corpus, and where, for the report.</summary>
    [Fact]
    public void Corpus_count()
    {
        if (SharedCorpus.Directory is null)
        {
            output.WriteLine(SharedCorpus.AbsentMessage);
            return;
        }

        int files = 0, findings = 0, withFix = 0;
        foreach (var path in SharedCorpus.Files())
        {
            var hits = DockerfileAnalyzer.Analyze(File.ReadAllText(path)).Findings.Where(f => f.RuleId == "RB003").ToList();
            files += hits.Count > 0 ? 1 : 0;
            findings += hits.Count;
            withFix += hits.Count(f => f.Fix is not null);
            foreach (var hit in hits)
            {
                output.WriteLine($"{Path.GetRelativePath(SharedCorpus.Directory, path)}:{hit.Range.Start}: {hit.Message}");
            }
        }

        output.WriteLine($"RB003: {files} files, {findings} findings, {withFix} with a fix");
    }
}
