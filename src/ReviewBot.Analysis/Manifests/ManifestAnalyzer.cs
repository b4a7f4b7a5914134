using ReviewBot.Analysis.Rules;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Manifests;

/// <summary>
/// The engine's front door for manifests: a Compose file's, Kubernetes manifest's or Helm values' text in, RB008
/// findings on its lines out, in the same <see cref="AnalysisResult"/> a Dockerfile's findings travel in (its document
/// is the manifest's lines). Pure: the caller says which Dockerfile builds a container's image and hands its text.
/// </summary>
public static class ManifestAnalyzer
{
    /// <param name="builtFrom">The Dockerfile the repository builds a container's image from, or null when none is known.</param>
    public static AnalysisResult Analyze(ManifestKind kind, string text, Func<ManifestContainer, BuiltImage?> builtFrom, AnalyzerOptions? options = null) =>
        Analyze(ManifestReader.Read(kind, text), text, builtFrom, options);

    /// <summary>As above, for a manifest already read (the caller read it to link its containers to Dockerfiles).</summary>
    public static AnalysisResult Analyze(Manifest manifest, string text, Func<ManifestContainer, BuiltImage?> builtFrom, AnalyzerOptions? options = null)
    {
        options ??= AnalyzerOptions.Default;
        var document = DockerfileDocument.PlainText(text.Length > ManifestReader.MaxChars ? "" : text);
        if (manifest.Error is { } error)
        {
            return new AnalysisResult(document, []) { Diagnostics = [new ParseDiagnostic(0, $"The manifest {error}; it was not checked.")] };
        }

        if (options.DisabledRules.Contains(ManifestUserRule.Descriptor.Id))
        {
            return new AnalysisResult(document, []);
        }

        var findings = ManifestUserRule.Check(manifest, document, builtFrom, options);
        var kept = findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Range.Start).Take(Math.Max(0, options.MaxFindingsPerFile)).OrderBy(f => f.Range.Start).ToList();
        return new AnalysisResult(document, [.. kept])
        {
            Omitted = findings.Count > kept.Count ? [new OmittedFindings(ManifestUserRule.Descriptor.Id, findings.Count - kept.Count)] : [],
        };
    }
}
