# syntax=docker/dockerfile:1
# ReviewBot GitHub App service. Build: docker build -t reviewbot .
# Runs as the non-root 'app' user (uid 1654) of the chiseled image: no shell, no package manager,
# nothing written to the root filesystem (run it with --read-only; /tmp is the only scratch it may need).

# The SDK runs on the build machine's own platform and publishes for the target's (buildx sets both), so an
# arm64 image builds on amd64 without emulating the compiler.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
ARG TARGETARCH
WORKDIR /src
# Restore first, from the project files alone, so source edits reuse the cached packages. Every project the App
# references is listed (tests/ReviewBot.App.Tests/Production/ContainerImageTests.cs checks it): one left out has no
# assets file, and the publish below fails.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ReviewBot.Analysis/ReviewBot.Analysis.csproj src/ReviewBot.Analysis/
COPY src/ReviewBot.Configuration/ReviewBot.Configuration.csproj src/ReviewBot.Configuration/
COPY src/ReviewBot.Registry/ReviewBot.Registry.csproj src/ReviewBot.Registry/
COPY src/ReviewBot.GitHub/ReviewBot.GitHub.csproj src/ReviewBot.GitHub/
COPY src/ReviewBot.App/ReviewBot.App.csproj src/ReviewBot.App/
RUN dotnet restore src/ReviewBot.App/ReviewBot.App.csproj -a "$TARGETARCH"
COPY src/ src/
COPY app-manifest.yml ./
RUN dotnet publish src/ReviewBot.App/ReviewBot.App.csproj -a "$TARGETARCH" --configuration Release --no-restore --output /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS runtime
WORKDIR /app
# The application's files stay owned by root on purpose: the service only reads them, so even a
# compromised process cannot rewrite its own code.
COPY --from=build --chown=root:root /app ./
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_EnableDiagnostics=0
EXPOSE 8080
USER 1654:1654
ENTRYPOINT ["dotnet", "ReviewBot.App.dll"]
