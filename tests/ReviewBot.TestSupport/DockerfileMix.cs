using System.Globalization;
using System.Text;

namespace ReviewBot.TestSupport;

/// <summary>What a generated Dockerfile is made of: every instruction kind, and the syntax around them.</summary>
public enum InstructionKind
{
    From,
    Arg,
    Env,
    Label,
    Run,
    Copy,
    Add,
    User,
    Workdir,
    Expose,
    Volume,
    Entrypoint,
    Cmd,
    Healthcheck,
    Shell,
    Onbuild,
    Stopsignal,
    Maintainer,
    Comment,

    /// <summary>An ENV that refers to the previous one (<c>ENV C12=${C11}/x</c>): a chain of variable expansions.</summary>
    ExpansionChain,
}

/// <summary>
/// Realistic Dockerfiles of any size and any mix of instructions, from a seed: the same seed gives the same text.
/// Each kind comes in its many forms (FROM with --platform and AS, ENV's two syntaxes, RUN in shell and exec form
/// with mounts and heredocs, COPY with --chown/--from/--link and heredocs, USER by name, uid and variable …), with
/// line continuations, comments and parser directives. Used to show the engine's cost grows with the file, whatever
/// the file is made of.
/// </summary>
public sealed class DockerfileMix
{
    /// <summary>Every kind, in declaration order.</summary>
    public static IReadOnlyList<InstructionKind> Kinds { get; } = Enum.GetValues<InstructionKind>();

    private static readonly string[] Images =
    [
        "debian:bookworm-slim", "ubuntu:22.04", "alpine:3.20", "node:20-alpine", "python:3.12-slim", "golang:1.22",
        "nginx:1.27", "gcr.io/distroless/static:nonroot", "mcr.microsoft.com/dotnet/aspnet:8.0", "redis:7", "scratch",
        "registry.example.com:5000/team/base:${BASE_TAG}", "eclipse-temurin:21-jre@sha256:" + new string('a', 64),
    ];

    private static readonly string[] Users = ["app", "1000", "1000:1000", "nobody", "node", "${APP_USER}", "$UID:$GID", "root", "0", "www-data", "svc:svc", "65532"];

    private readonly Random _random;
    private readonly StringBuilder _text = new();
    private int _count;
    private int _stages;

    private DockerfileMix(int seed) => _random = new Random(seed);

    /// <summary>
    /// A Dockerfile of about <paramref name="chars"/> characters (never more): parser directives and a FROM, then
    /// instructions drawn from <paramref name="kinds"/> (every kind alike when null) until the size is reached.
    /// <paramref name="nonRoot"/> starts the first stage with <c>USER app</c>.
    /// </summary>
    public static string Generate(int seed, int chars, IReadOnlyList<InstructionKind>? kinds = null, bool nonRoot = false)
    {
        var mix = new DockerfileMix(seed);
        kinds ??= Kinds;
        var b = mix._text;
        b.Append("# syntax=docker/dockerfile:1.7\n# escape=\\\n# check=skip=JSONArgsRecommended\n\n");
        b.Append("ARG BASE_TAG=latest\nARG APP_USER=app\nARG UID=1000 GID=1000\n");
        mix.From();
        if (nonRoot)
        {
            b.Append("USER app\n");
        }

        // Instructions are appended whole, and the last one that does not fit is cut back off: the size is a ceiling.
        while (true)
        {
            int before = b.Length;
            mix.Append(kinds[mix._random.Next(kinds.Count)]);
            if (b.Length > chars)
            {
                b.Length = before;
                break;
            }
        }

        return b.ToString();
    }

    /// <summary>
    /// Files of one shape that no mix writes, by name, each of about the characters asked (never more): the shapes
    /// that once cost more than their size.
    /// </summary>
    public static IReadOnlyDictionary<string, Func<int, string>> Shapes { get; } = new Dictionary<string, Func<int, string>>
    {
        // The global scope, which a mix leaves at three ARGs: each defaults to the one before (ARG A12=${A11:-x}).
        ["global ARG chain"] = chars => Repeat(chars, "ARG A0=x\n", i => string.Create(CultureInfo.InvariantCulture, $"ARG A{i}=${{A{i - 1}:-x}}\n"), "FROM debian:${A1}\nUSER app\n"),
        // A stage per few lines, each from a global ARG and switching to a user nothing declares (the CLI's largest
        // allocation per byte of these shapes: LargeFilePause).
        ["stages from a global ARG"] = chars => Repeat(chars, "ARG IMAGE=debian:bookworm-slim\n", i => string.Create(CultureInfo.InvariantCulture, $"FROM ${{IMAGE}} AS s{i}\nUSER ${{U{i}}}\n"), "USER app\n"),
        // Thousands of users in one stage, each created, switched to and away from.
        ["users created and switched to"] = chars => Repeat(chars, "FROM debian:bookworm-slim\n", i => string.Create(CultureInfo.InvariantCulture, $"RUN useradd -r u{i}\nUSER u{i}\nUSER root\n"), "USER u1\n"),
        // A chain of stages, each FROM the one before, adding an ENV or a user to all it inherits.
        ["stage chain with ENV"] = chars => Repeat(chars, "FROM debian:bookworm-slim AS s0\n", i => string.Create(CultureInfo.InvariantCulture, $"FROM s{i - 1} AS s{i}\nENV V{i}=${{V{i - 1}:-a}}\n"), "USER app\n"),
        ["stage chain creating users"] = chars => Repeat(chars, "FROM debian:bookworm-slim AS s0\n", i => string.Create(CultureInfo.InvariantCulture, $"FROM s{i - 1} AS s{i}\nRUN useradd u{i}\n"), "USER u1\n"),
        // One RUN creating thousands of users, on one line and in a heredoc: each command was searched for from the
        // one before to the end of the script, for every kind of user command it lacks.
        ["useradds in one RUN"] = chars => Repeat(chars, "FROM debian:bookworm-slim\nRUN useradd -r u0", i => string.Create(CultureInfo.InvariantCulture, $" && useradd -r u{i}"), "\nUSER u1\n"),
        ["useradds in one heredoc"] = chars => Repeat(chars, "FROM debian:bookworm-slim\nRUN <<EOF\n", i => string.Create(CultureInfo.InvariantCulture, $"useradd -r u{i}\n"), "EOF\nUSER u1\n"),
    };

    /// <summary><paramref name="head"/>, then lines <paramref name="line"/>(1), (2) … while they fit, then <paramref name="tail"/>.</summary>
    private static string Repeat(int chars, string head, Func<int, string> line, string tail)
    {
        var text = new StringBuilder(head);
        for (int i = 1; ; i++)
        {
            string next = line(i);
            if (text.Length + next.Length + tail.Length > chars)
            {
                return text.Append(tail).ToString();
            }

            text.Append(next);
        }
    }

    private int Next(int max) => _random.Next(max);

    private T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    private string N => (_count++).ToString(CultureInfo.InvariantCulture);

    private void Append(InstructionKind kind)
    {
        var b = _text;
        string n = N;
        switch (kind)
        {
            case InstructionKind.From:
                From();
                break;
            case InstructionKind.Arg:
                b.Append(Next(3) switch
                {
                    0 => $"ARG VERSION_{n}\n",
                    1 => $"ARG VERSION_{n}=1.{n}.0\n",
                    _ => $"ARG A_{n}=x B_{n}=\"quoted {n}\" C_{n}\n",
                });
                break;
            case InstructionKind.Env:
                b.Append(Next(5) switch
                {
                    0 => $"ENV LEGACY_{n} value with spaces {n}\n",
                    1 => $"ENV KEY_{n}=value-{n}\n",
                    2 => $"ENV A_{n}=\"a b {n}\" \\\n    B_{n}='single $quoted' \\\n    C_{n}=${{A_{n}}}/bin:$PATH\n",
                    3 => $"ENV PATH=/opt/tool{n}/bin:$PATH HOME=/home/${{APP_USER:-app}}\n",
                    _ => $"ENV ESCAPED_{n}=a\\ b\\\"c EMPTY_{n}=\n",
                });
                break;
            case InstructionKind.Label:
                b.Append(Next(2) == 0
                    ? $"LABEL org.opencontainers.image.version=\"{n}\" maintainer=\"team {n} <t@example.org>\"\n"
                    : $"LABEL com.example.k{n}=v{n} \\\n      com.example.description=\"multi \\\n word\"\n");
                break;
            case InstructionKind.Run:
                Run(n);
                break;
            case InstructionKind.Copy:
            case InstructionKind.Add:
                Copy(kind == InstructionKind.Copy ? "COPY" : "ADD", n);
                break;
            case InstructionKind.User:
                b.Append("USER ").Append(Pick(Users)).Append('\n');
                break;
            case InstructionKind.Workdir:
                b.Append(Next(3) switch
                {
                    0 => $"WORKDIR /srv/app{n}\n",
                    1 => $"WORKDIR relative{n}\n",
                    _ => $"WORKDIR /home/${{APP_USER}}/w{n}\n",
                });
                break;
            case InstructionKind.Expose:
                b.Append(Next(4) switch
                {
                    0 => "EXPOSE 80\n",
                    1 => $"EXPOSE {1024 + (_count % 60000)}/tcp 53/udp\n",
                    2 => "EXPOSE ${PORT:-8080} 443\n",
                    _ => "EXPOSE 8000-8010\n",
                });
                break;
            case InstructionKind.Volume:
                b.Append(Next(2) == 0 ? $"VOLUME /data{n}\n" : $"VOLUME [\"/var/lib/v{n}\", \"/cache\"]\n");
                break;
            case InstructionKind.Entrypoint:
            case InstructionKind.Cmd:
                string keyword = kind == InstructionKind.Cmd ? "CMD" : "ENTRYPOINT";
                b.Append(Next(4) switch
                {
                    0 => $"{keyword} [\"/usr/local/bin/app{n}\", \"--listen\", \":80\"]\n",
                    1 => $"{keyword} exec /app{n} --port 443\n",
                    2 => $"{keyword} [\"gosu\", \"app\", \"/entry{n}.sh\"]\n",
                    _ => $"{keyword} [\"sh\", \"-c\", \"exec su-exec app:app /run{n} --bind 0.0.0.0:22\"]\n",
                });
                break;
            case InstructionKind.Healthcheck:
                b.Append(Next(3) switch
                {
                    0 => "HEALTHCHECK NONE\n",
                    1 => $"HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD curl -f http://localhost/{n} || exit 1\n",
                    _ => $"HEALTHCHECK --start-period=5s CMD [\"/bin/check\", \"{n}\"]\n",
                });
                break;
            case InstructionKind.Shell:
                b.Append(Next(2) == 0 ? "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n" : "SHELL [\"/bin/sh\", \"-c\"]\n");
                break;
            case InstructionKind.Onbuild:
                b.Append(Next(3) switch
                {
                    0 => $"ONBUILD COPY . /app{n}\n",
                    1 => $"ONBUILD RUN make build{n}\n",
                    _ => "ONBUILD USER root\n",
                });
                break;
            case InstructionKind.Stopsignal:
                b.Append(Next(2) == 0 ? "STOPSIGNAL SIGTERM\n" : "STOPSIGNAL 9\n");
                break;
            case InstructionKind.Maintainer:
                b.Append($"MAINTAINER Someone {n} <someone@example.org>\n");
                break;
            case InstructionKind.Comment:
                b.Append(Next(4) switch
                {
                    0 => $"# Step {n}: why the next instruction does what it does.\n",
                    1 => "# hadolint ignore=DL3002,DL3008\n",
                    2 => "  # reviewbot-ignore RB001\n",
                    _ => "#\n",
                });
                break;
            case InstructionKind.ExpansionChain:
                b.Append($"ENV CHAIN_{n}=${{CHAIN_{_count - 2}:-start}}/{n}\n");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private void From()
    {
        string n = (_stages++).ToString(CultureInfo.InvariantCulture);
        var b = _text;
        b.Append('\n');
        b.Append(Next(5) switch
        {
            0 => $"FROM {Pick(Images)} AS stage{n}\n",
            1 => $"FROM --platform=$BUILDPLATFORM {Pick(Images)} AS build{n}\n",
            2 when _stages > 1 => $"FROM stage{Next(_stages - 1)} AS stage{n}\n",
            3 => $"FROM {Pick(Images)}\n",
            _ => $"from {Pick(Images)} as stage{n}\n",
        });
    }

    private void Run(string n)
    {
        var b = _text;
        switch (Next(9))
        {
            case 0:
                b.Append($"RUN apt-get update && apt-get install -y --no-install-recommends curl{n} ca-certificates && rm -rf /var/lib/apt/lists/*\n");
                break;
            case 1:
                b.Append($"RUN [\"/bin/sh\", \"-c\", \"echo {n} > /tmp/x\"]\n");
                break;
            case 2:
                b.Append($"RUN --mount=type=cache,target=/root/.cache \\\n    --mount=type=secret,id=token{n} \\\n    pip install -r requirements.txt \\\n && make -j2 install\n");
                break;
            case 3:
                b.Append($"RUN <<EOF\nset -eux\necho step {n}\nuseradd -m -u 10{n} user{n}\nEOF\n");
                break;
            case 4:
                b.Append($"RUN <<-'SCRIPT' bash\n\tmkdir -p /srv/{n}\n\tchown app /srv/{n}\nSCRIPT\n");
                break;
            case 5:
                b.Append($"RUN addgroup -S g{n} && adduser -S -G g{n} u{n} && chown -R u{n}:g{n} /app\n");
                break;
            case 6:
                b.Append($"RUN apk add --no-cache sudo su-exec && echo 'app ALL=(ALL) NOPASSWD:ALL' >> /etc/sudoers && sudo -u app true {n}\n");
                break;
            case 7:
                b.Append($"RUN echo \"${{CHAIN_{n}:-x}} $HOME $APP_USER\" && groupadd -g $GID grp && useradd -u $UID -g grp u$UID\n");
                break;
            default:
                b.Append($"RUN echo 'app:x:{n}:{n}::/home/app:/bin/sh' >> /etc/passwd \\\n    && mkdir /home/app{n} \\\n    && setcap cap_net_bind_service=+ep /usr/bin/node\n");
                break;
        }
    }

    private void Copy(string keyword, string n)
    {
        var b = _text;
        switch (Next(7))
        {
            case 0:
                b.Append($"{keyword} src{n}/ /app/\n");
                break;
            case 1:
                b.Append($"{keyword} --chown=app:app a{n} b{n} c{n} d{n} /app/\n");
                break;
            case 2:
                b.Append($"{keyword} --from=stage0 --link /out/app{n} /usr/local/bin/\n");
                break;
            case 3:
                b.Append($"{keyword} --chown=${{UID}}:${{GID}} --chmod=755 [\"x{n}\", \"y {n}\", \"/dest/\"]\n");
                break;
            case 4:
                b.Append($"{keyword} <<EOF /etc/conf{n}.ini\n[section]\nkey={n}\nEOF\n");
                break;
            case 5:
                b.Append(keyword == "ADD"
                    ? $"ADD --checksum=sha256:{new string('b', 64)} https://example.org/f{n}.tgz /tmp/\n"
                    : $"COPY \\\n    one{n} \\\n    two{n} \\\n    /multi/\n");
                break;
            default:
                b.Append($"{keyword} --chown=1000 . /src{n}\n");
                break;
        }
    }
}
