using System.Text;

namespace ReviewBot.Benchmarks;

/// <summary>How a synthetic Dockerfile grows with its scale.</summary>
public enum Shape
{
    /// <summary>More stages: a build stage and a runtime stage per unit, each runtime built on the previous one.</summary>
    Stages,

    /// <summary>One RUN whose continuation lines grow (a long package list).</summary>
    ContinuationLines,

    /// <summary>One RUN heredoc whose body grows (data the parser must skip, never instructions).</summary>
    Heredoc,

    /// <summary>More ARG and ENV instructions (a long list of versions and settings), each in scope of the next.</summary>
    Declarations,
}

/// <summary>The same realistic Dockerfile at ×1, ×10, ×100: growth must cost time in proportion, never more.</summary>
public static class SyntheticDockerfile
{
    /// <summary>Continuation or heredoc lines per unit of scale.</summary>
    private const int LinesPerUnit = 60;

    /// <summary>ARG/ENV pairs per unit of scale.</summary>
    private const int DeclarationsPerUnit = 10;

    public static string Build(Shape shape, int scale) => shape switch
    {
        Shape.Stages => Stages(scale),
        Shape.ContinuationLines => Continuation(scale),
        Shape.Heredoc => Heredoc(scale),
        Shape.Declarations => Declarations(scale),
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    private static string Stages(int scale)
    {
        var b = new StringBuilder("# syntax=docker/dockerfile:1\nARG GO_VERSION=1.22\nARG DEBIAN=bookworm-slim\n");
        for (int i = 0; i < scale; i++)
        {
            b.Append($$"""

                FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS build{{i}}
                ARG VERSION{{i}}=1.0.{{i}}
                ENV CGO_ENABLED=0 \
                    GOFLAGS=-trimpath
                WORKDIR /src/app{{i}}
                COPY go.mod go.sum ./
                RUN --mount=type=cache,target=/root/.cache/go-build \
                    go mod download && \
                    go build -ldflags "-X main.version=${VERSION{{i}}}" -o /out/app{{i}} ./cmd/app{{i}}

                FROM {{(i == 0 ? "debian:${DEBIAN}" : $"runtime{i - 1}")}} AS runtime{{i}}
                RUN apt-get update && \
                    apt-get install -y --no-install-recommends ca-certificates curl sudo && \
                    rm -rf /var/lib/apt/lists/*
                COPY --from=build{{i}} /out/app{{i}} /usr/local/bin/app{{i}}
                COPY config{{i}}.yaml /etc/app{{i}}/config.yaml

                """);
        }

        b.Append("EXPOSE 80\nCMD [\"app0\", \"--listen\", \":80\"]\n");
        return b.ToString();
    }

    private static string Continuation(int scale)
    {
        var b = new StringBuilder("FROM ubuntu:22.04\nENV DEBIAN_FRONTEND=noninteractive\nRUN apt-get update && \\\n    apt-get install -y --no-install-recommends \\\n");
        for (int i = 0; i < scale * LinesPerUnit; i++)
        {
            b.Append($"        package-{i:D6} \\\n");
        }

        b.Append("    && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY . /app\nEXPOSE 443\nCMD [\"/app/run\"]\n");
        return b.ToString();
    }

    private static string Heredoc(int scale)
    {
        var b = new StringBuilder("# syntax=docker/dockerfile:1\nFROM alpine:3.20\nRUN <<EOF\nset -eux\n");
        for (int i = 0; i < scale * LinesPerUnit; i++)
        {
            b.Append($"echo \"step {i}\" >> /var/log/build.log\n");
        }

        b.Append("EOF\nCOPY app /usr/local/bin/app\nEXPOSE 8080\nENTRYPOINT [\"app\"]\n");
        return b.ToString();
    }

    private static string Declarations(int scale)
    {
        var b = new StringBuilder("FROM python:3.12-slim\n");
        for (int i = 0; i < scale * DeclarationsPerUnit; i++)
        {
            b.Append($"ARG LIB{i}_VERSION=1.{i}.0\nENV LIB{i}_URL=https://example.org/lib{i}/v${{LIB{i}_VERSION}}.tar.gz\n");
        }

        b.Append("COPY . /app\nEXPOSE 80\nCMD [\"python\", \"-m\", \"app\", \"--port\", \"80\"]\n");
        return b.ToString();
    }
}
