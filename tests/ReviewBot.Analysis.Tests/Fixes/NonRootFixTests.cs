using static ReviewBot.Analysis.Tests.RuleAssert;

namespace ReviewBot.Analysis.Tests.Fixes;

/// <summary>RB001's fix, checked as the whole file it produces, for each way a base image creates users.</summary>
public class NonRootFixTests
{
    private static string Fixed(string dockerfile, AnalyzerOptions? options = null)
    {
        var finding = Reports("RB001", dockerfile, line: FirstLineOf(dockerfile, "RB001", options), options);
        return Apply(dockerfile, finding);
    }

    private static int FirstLineOf(string dockerfile, string rule, AnalyzerOptions? options) =>
        DockerfileAnalyzer.Analyze(dockerfile, options).Findings.First(f => f.RuleId == rule).Range.Start;

    [Fact]
    public void Debian_gets_groupadd_useradd_chown_and_user_before_cmd()
    {
        Assert.Equal(
            "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nRUN groupadd -r appgroup && useradd -r -g appgroup --no-create-home appuser\nCOPY --chown=appuser:appgroup app /app\nUSER appuser\nEXPOSE 8080\nCMD [\"/app/run\"]\n",
            Fixed("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\nCOPY app /app\nEXPOSE 8080\nCMD [\"/app/run\"]\n"));
    }

    [Fact]
    public void Alpine_gets_busybox_addgroup_adduser()
    {
        Assert.Equal(
            "FROM python:3.12-alpine\nWORKDIR /srv\nRUN addgroup -S appgroup \\\n    && adduser -S -G appgroup -H -D appuser \\\n    && chown appuser:appgroup /srv\nCOPY --chown=appuser:appgroup . .\nUSER appuser\nCMD [\"python\", \"main.py\"]\n",
            Fixed("FROM python:3.12-alpine\nWORKDIR /srv\nCOPY . .\nCMD [\"python\", \"main.py\"]\n"));
    }

    [Fact]
    public void Node_image_reuses_the_node_user()
    {
        Assert.Equal(
            "FROM node:20-slim\nWORKDIR /app\nCOPY package.json .\nRUN npm ci\nRUN chown node:node /app\nCOPY --chown=node:node . .\nUSER node\nCMD [\"node\", \"server.js\"]\n",
            Fixed("FROM node:20-slim\nWORKDIR /app\nCOPY package.json .\nRUN npm ci\nCOPY . .\nCMD [\"node\", \"server.js\"]\n"));
    }

    [Fact]
    public void Dotnet_8_image_reuses_app_uid()
    {
        var result = Fixed("FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY out/ /app/\nENTRYPOINT [\"dotnet\", \"/app/Api.dll\"]\n");
        Assert.Contains("USER $APP_UID\n", result);
        Assert.DoesNotContain("useradd", result);
    }

    [Fact]
    public void Scratch_gets_a_numeric_user_and_never_a_run()
    {
        // The static binary the image runs is only executed: USER alone suffices, and it stays root-owned.
        Assert.Equal(
            "FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n",
            Fixed("FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\nENTRYPOINT [\"/app\"]\n"));
    }

    [Fact]
    public void Distroless_gets_nonroot_and_never_a_run()
    {
        var finding = Reports("RB001", "FROM gcr.io/distroless/static-debian12\nCOPY app /app\nENTRYPOINT [\"/app\"]\n", line: 1);
        Assert.Equal("FROM gcr.io/distroless/static-debian12\nCOPY app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\"]\n", Apply("FROM gcr.io/distroless/static-debian12\nCOPY app /app\nENTRYPOINT [\"/app\"]\n", finding));
        Assert.DoesNotContain("application files", finding.Fix!.Description);
    }

    [Theory]
    [InlineData("WORKDIR /app\nCOPY --from=build /out/server .\nENTRYPOINT [\"./server\"]\n", "COPY --from=build /out/server .\n")]
    [InlineData("COPY --from=build /out/server /app/\nCMD [\"/app/server\", \"--serve\"]\n", "COPY --from=build /out/server /app/\n")]
    [InlineData("COPY [\"server\", \"/server\"]\nENTRYPOINT /server\n", "COPY [\"server\", \"/server\"]\n")]
    public void The_program_the_image_runs_needs_no_chown(string stage, string copy)
    {
        var text = "FROM golang:1.22 AS build\nRUN go build -o /out/server .\nFROM gcr.io/distroless/static-debian12\n" + stage;
        var fixedText = Fixed(text);
        Assert.Contains(copy, fixedText);
        Assert.DoesNotContain("--chown", fixedText);
        Assert.Contains("USER 65532:65532\n", fixedText);
        Assert.DoesNotContain(DockerfileAnalyzer.Analyze(fixedText).Findings, f => f.RuleId is "RB001" or "RB003");
    }

    [Theory]
    [InlineData("COPY --from=build /out/ /app/\nENTRYPOINT [\"/app/server\"]\n")] // a folder: it may hold data the app writes
    [InlineData("COPY --from=build /out/server /app/server\nCOPY data/ /app/data/\nENTRYPOINT [\"/app/server\"]\n")] // the data, not the program
    public void Files_the_application_may_write_still_get_chown(string stage)
    {
        var fixedText = Fixed("FROM golang:1.22 AS build\nRUN go build -o /out/server .\nFROM gcr.io/distroless/static-debian12\n" + stage);
        Assert.Contains("--chown=65532:65532", fixedText);
        Assert.DoesNotContain("--chown=65532:65532 --from=build /out/server", fixedText);
    }

    [Fact]
    public void Existing_user_root_needed_by_later_runs_is_kept_and_the_switch_back_added()
    {
        Assert.Equal(
            "FROM node:20\nUSER root\nRUN apt-get update && apt-get install -y git\nUSER node\nCMD [\"node\", \"x.js\"]\n",
            Fixed("FROM node:20\nUSER root\nRUN apt-get update && apt-get install -y git\nCMD [\"node\", \"x.js\"]\n"));
    }

    [Fact]
    public void Trailing_user_root_is_replaced()
    {
        Assert.Equal(
            "FROM debian:bookworm-slim\nRUN apt-get update\nRUN groupadd -r appgroup && useradd -r -g appgroup --no-create-home appuser\nUSER appuser\nCMD x\n",
            Fixed("FROM debian:bookworm-slim\nRUN apt-get update\nUSER root\nCMD x\n"));
    }

    [Fact]
    public void User_created_but_never_switched_to_is_reused()
    {
        Assert.Equal(
            "FROM debian:bookworm-slim\nRUN useradd -r -u 1001 svc\nUSER svc\nCMD x\n",
            Fixed("FROM debian:bookworm-slim\nRUN useradd -r -u 1001 svc\nCMD x\n"));
    }

    [Fact]
    public void Of_users_created_by_one_run_the_last_created_is_reused_every_time()
    {
        // They were kept by string hash, which each process seeds anew: the fix switched to any of them, run to run
        // (a review's suggestion changed at every push). One in twelve of those runs picked the last.
        string users = string.Join(" && ", Enumerable.Range(1, 12).Select(i => $"useradd -r svc{i}"));
        Assert.Equal(
            $"FROM debian:bookworm-slim\nRUN {users}\nUSER svc12\nCMD x\n",
            Fixed($"FROM debian:bookworm-slim\nRUN {users}\nCMD x\n"));
    }

    [Fact]
    public void Ubi_minimal_without_shadow_utils_gets_a_numeric_user()
    {
        var result = Fixed("FROM registry.access.redhat.com/ubi9/ubi-minimal\nCOPY app /app\nCMD [\"/app/run\"]\n");
        Assert.DoesNotContain("useradd", result);
        Assert.Contains("USER 10001:10001\n", result);
        Assert.Contains("COPY --chown=10001:10001 app /app", result);
    }

    [Fact]
    public void Unknown_image_gets_a_numeric_user_that_works_everywhere()
    {
        var result = Fixed("FROM registry.example.com/team/base:5\nCOPY app /app\nCMD [\"/app\"]\n");
        Assert.DoesNotContain("RUN", result);
        Assert.Contains("USER 10001:10001\n", result);
    }

    [Fact]
    public void Numeric_option_creates_fixed_ids_and_a_numeric_user()
    {
        var result = Fixed("FROM debian:bookworm-slim\nCOPY app /app\nCMD x\n", new AnalyzerOptions { Numeric = true });
        Assert.Contains("RUN groupadd -r -g 10001 appgroup \\\n    && useradd -r -u 10001 -g appgroup --no-create-home appuser\n", result);
        Assert.Contains("USER 10001:10001\n", result);
    }

    [Fact]
    public void Numeric_option_never_takes_a_uid_the_base_uses()
    {
        var result = Fixed("FROM ubuntu:24.04\nCMD x\n", new AnalyzerOptions { Numeric = true, Uid = 1000, Gid = 1000 });
        Assert.DoesNotContain("-u 1000 ", result);
        Assert.Contains("USER 1001:1001", result);
    }

    [Fact]
    public void Names_and_chown_are_configurable()
    {
        var result = Fixed("FROM debian:bookworm-slim\nCOPY app /app\nCMD x\n", new AnalyzerOptions { UserName = "svc", GroupName = "svc", Chown = false });
        Assert.Contains("useradd -r -g svc --no-create-home svc", result);
        Assert.Contains("COPY app /app", result);
        Assert.Contains("USER svc", result);
    }

    [Fact]
    public void Crlf_indentation_and_backtick_escape_are_kept()
    {
        var result = Fixed("# escape=`\r\nFROM debian:bookworm-slim\r\n  RUN apt-get update `\r\n    && apt-get install -y curl\r\n  CMD x\r\n");
        Assert.Equal("# escape=`\r\nFROM debian:bookworm-slim\r\n  RUN apt-get update `\r\n    && apt-get install -y curl\r\n  RUN groupadd -r appgroup && useradd -r -g appgroup --no-create-home appuser\r\n  USER appuser\r\n  CMD x\r\n", result);
    }

    [Fact]
    public void File_without_final_newline_gets_the_user_appended()
    {
        Assert.Equal(
            "FROM alpine:3.20\nRUN addgroup -S appgroup && adduser -S -G appgroup -H -D appuser\nCOPY --chown=appuser:appgroup x /x\nUSER appuser\n",
            Fixed("FROM alpine:3.20\nCOPY x /x"));
    }

    [Fact]
    public void System_destinations_are_not_chowned()
    {
        var result = Fixed("FROM debian:bookworm-slim\nCOPY tool /usr/local/bin/tool\nCOPY conf /etc/app/\nCOPY app /srv/app\nCMD x\n");
        Assert.Contains("COPY tool /usr/local/bin/tool\n", result);
        Assert.Contains("COPY conf /etc/app/\n", result);
        Assert.Contains("COPY --chown=appuser:appgroup app /srv/app\n", result);
    }

    [Fact]
    public void Folders_run_mkdir_made_as_root_are_handed_to_the_user_once_they_exist()
    {
        Assert.Equal(
            "FROM debian:bookworm-slim\nRUN mkdir -p /var/lib/counter /var/log/counter\nCOPY counter.sh /usr/local/bin/counter\nRUN groupadd -r appgroup \\\n    && useradd -r -g appgroup --no-create-home appuser \\\n    && chown appuser:appgroup /var/lib/counter /var/log/counter\nUSER appuser\nCMD [\"counter\"]\n",
            Fixed("FROM debian:bookworm-slim\nRUN mkdir -p /var/lib/counter /var/log/counter\nCOPY counter.sh /usr/local/bin/counter\nCMD [\"counter\"]\n"));
    }

    [Fact]
    public void Mkdir_after_the_user_is_created_is_owned_just_before_user()
    {
        Assert.Equal(
            "FROM alpine:3.20\nRUN addgroup -S appgroup \\\n    && adduser -S -G appgroup -H -D appuser \\\n    && mkdir -p /data \\\n    && chown appuser:appgroup /data\nCOPY --chown=appuser:appgroup app /srv/app\nRUN mkdir -p /srv/data && touch /srv/app/ready\nVOLUME /data\nRUN chown appuser:appgroup /srv/data\nUSER appuser\nCMD [\"/srv/app/run\"]\n",
            Fixed("FROM alpine:3.20\nCOPY app /srv/app\nRUN mkdir -p /srv/data && touch /srv/app/ready\nVOLUME /data\nCMD [\"/srv/app/run\"]\n"));
    }

    [Fact]
    public void Application_state_copied_under_var_lib_is_chowned()
    {
        Assert.Contains(
            "COPY --chown=appuser:appgroup state/ /var/lib/sync-job/\n",
            Fixed("FROM debian:bookworm-slim\nCOPY sync.sh /usr/local/bin/sync-job\nCOPY state/ /var/lib/sync-job/\nCMD [\"sync-job\"]\n"));
    }

    [Fact]
    public void System_folders_made_by_mkdir_are_left_alone()
    {
        var result = Fixed("FROM debian:bookworm-slim\nRUN mkdir -p /etc/app /usr/local/share/app /tmp/x\nCMD x\n");
        Assert.DoesNotContain("chown", result);
    }

    [Fact]
    public void Root_chosen_by_an_arg_default_changes_the_default_so_build_args_still_choose()
    {
        Assert.Equal(
            "FROM debian:bookworm-slim\nARG APP_USER=appuser\nRUN apt-get update\nRUN groupadd -r appgroup && useradd -r -g appgroup --no-create-home appuser\nUSER ${APP_USER}\nCMD x\n",
            Fixed("FROM debian:bookworm-slim\nARG APP_USER=root\nRUN apt-get update\nUSER ${APP_USER}\nCMD x\n"));
    }

    [Fact]
    public void Root_arg_followed_through_env_and_paths_keep_their_variables()
    {
        Assert.Equal(
            "FROM debian:bookworm-slim\nARG RUN_AS=appuser\nARG APP_HOME=/opt/app\nENV APP_USER=${RUN_AS} \\\n    APP_HOME=${APP_HOME}\nRUN mkdir -p ${APP_HOME}\n"
            + "RUN groupadd -r appgroup && useradd -r -g appgroup --no-create-home appuser && mkdir -p \"${APP_HOME}\" && chown appuser:appgroup \"${APP_HOME}\"\nUSER ${APP_USER}\nWORKDIR ${APP_HOME}\nCOPY --chown=appuser:appgroup job.sh ./\nCMD x\n",
            Fixed("FROM debian:bookworm-slim\nARG RUN_AS=root\nARG APP_HOME=/opt/app\nENV APP_USER=${RUN_AS} \\\n    APP_HOME=${APP_HOME}\nRUN mkdir -p ${APP_HOME}\nUSER ${APP_USER}\nWORKDIR ${APP_HOME}\nCOPY job.sh ./\nCMD x\n"));
    }

    [Fact]
    public void Global_arg_default_is_the_one_changed()
    {
        Assert.Equal(
            "ARG U=appuser\nFROM debian:bookworm-slim\nARG U\nRUN groupadd -r appgroup && useradd -r -g appgroup --no-create-home appuser\nUSER $U\nCMD x\n",
            Fixed("ARG U=root\nFROM debian:bookworm-slim\nARG U\nUSER $U\nCMD x\n"));
    }

    [Fact]
    public void An_arg_used_for_more_than_the_user_is_left_alone()
    {
        var result = Fixed("FROM debian:bookworm-slim\nARG U=root\nRUN echo $U > /who\nUSER ${U}\nCMD x\n");
        Assert.Contains("ARG U=root\n", result);
        Assert.Contains("\nUSER appuser\n", result);
    }

    [Fact]
    public void Nginx_serving_only_content_moves_to_the_unprivileged_variant_and_port_8080()
    {
        var text = "FROM nginx:1.27-alpine AS web\nLABEL org.opencontainers.image.title=site\nCOPY site/ /usr/share/nginx/html/\nEXPOSE 80\n";
        var finding = Reports("RB001", text, line: 1);
        Assert.Equal(Severity.Notice, finding.Severity);
        Assert.Equal(
            "FROM nginxinc/nginx-unprivileged:1.27-alpine AS web\nLABEL org.opencontainers.image.title=site\nCOPY site/ /usr/share/nginx/html/\nEXPOSE 8080\n",
            Apply(text, finding));
        Assert.DoesNotContain(DockerfileAnalyzer.Analyze(Apply(text, finding)).Findings, f => f.RuleId is "RB001" or "RB003" or "RB004");
    }

    [Theory]
    [InlineData("FROM nginx:1.27\nCOPY default.conf /etc/nginx/conf.d/default.conf\nEXPOSE 80\n")]
    [InlineData("FROM nginx:1.27\nRUN rm /usr/share/nginx/html/index.html\nCOPY site/ /usr/share/nginx/html/\n")]
    [InlineData("FROM nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nCOPY site/ /usr/share/nginx/html/\n")]
    [InlineData("FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n")]
    public void Nginx_that_configures_or_runs_anything_gets_no_fix_but_what_to_do(string text)
    {
        var finding = Reports("RB001", text, line: 1);
        Assert.Null(finding.Fix);
        Assert.Contains("nginxinc/nginx-unprivileged", finding.Message);
        Assert.Contains("listen on 8080", finding.Message);
    }

    [Fact]
    public void Httpd_gets_no_fix_but_the_listen_and_user_steps()
    {
        var finding = Reports("RB001", "FROM httpd:2.4\nCOPY site/ /usr/local/apache2/htdocs/\nEXPOSE 80\n", line: 1);
        Assert.Null(finding.Fix);
        Assert.Contains("Listen 8080", finding.Message);
        Assert.Contains("USER www-data", finding.Message);
    }

    [Fact]
    public void Canonical_python_without_a_user_gets_the_user_before_the_app_copy_and_no_chown_on_the_manifest()
    {
        Assert.Equal(
            "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n"
            + "RUN groupadd -r appgroup \\\n    && useradd -r -g appgroup --no-create-home appuser \\\n    && chown appuser:appgroup /app\n"
            + "COPY --chown=appuser:appgroup . .\nUSER appuser\nCMD [\"python\", \"app.py\"]\n",
            Fixed("FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n"));
    }
}
