using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace ReviewBot.FieldNames;

/// <summary>
/// field-names [--check] PROJECT.csproj…: renames, in place, every field the naming rule of .editorconfig names otherwise:
/// private non-readonly-static fields <c>_camelCase</c>, constants and static readonly fields <c>PascalCase</c>.
/// Names are bound, not matched as text, so a parameter or local of the same name is left alone, and an anonymous
/// object's member keeps the name it had; <c>this._field</c> loses its now needless <c>this.</c>. Writes nothing when
/// every name is right (running it twice changes nothing); with --check it only says what it would change (exit 1).
/// </summary>
internal static class Program
{
    private static readonly string[] PreprocessorSymbols = ["DEBUG", "TRACE", "NET", "NET10_0", "NET10_0_OR_GREATER"];

    public static int Main(string[] args)
    {
        bool check = args.Contains("--check");
        var projects = args.Where(a => a != "--check").ToList();
        if (projects.Count == 0)
        {
            Console.Error.WriteLine("usage: field-names [--check] PROJECT.csproj…");
            return 2;
        }

        // A constant of one project read in another is renamed in both: the reading one binds it from the other's dll.
        var solution = projects.SelectMany(p => new[] { Path.GetFileNameWithoutExtension(p), AssemblyName(p) }).OfType<string>().ToHashSet(StringComparer.Ordinal);
        int renamed = 0, files = 0, skipped = 0;
        foreach (var project in projects)
        {
            var (r, f, s) = Fix(Path.GetFullPath(project), solution, check);
            renamed += r;
            files += f;
            skipped += s;
        }

        Console.WriteLine($"field-names: {renamed} names {(check ? "to change" : "changed")} in {files} files" + (skipped > 0 ? $", {skipped} left (a member of that name exists)" : ""));
        return skipped > 0 || (check && files > 0) ? 1 : 0;
    }

    private static (int Renamed, int Files, int Skipped) Fix(string projectFile, IReadOnlySet<string> solution, bool check)
    {
        var directory = Path.GetDirectoryName(projectFile)!;
        var parse = new CSharpParseOptions(LanguageVersion.Preview, preprocessorSymbols: PreprocessorSymbols);
        var sources = Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !InBuildOutput(directory, f))
            .Order(StringComparer.Ordinal)
            .Select(f => CSharpSyntaxTree.ParseText(SourceText.From(File.ReadAllText(f)), parse, f))
            .ToList();
        // The implicit and csproj global usings, read only, so that names bind as they do in the build.
        var globalUsings = Directory.Exists(Path.Combine(directory, "obj"))
            ? Directory.EnumerateFiles(Path.Combine(directory, "obj"), "*.GlobalUsings.g.cs", SearchOption.AllDirectories).Take(1)
                .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, f))
            : [];
        var compilation = CSharpCompilation.Create(
            Path.GetFileNameWithoutExtension(projectFile),
            [.. sources, .. globalUsings],
            References(directory),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

        int renamed = 0, files = 0, skipped = 0;
        foreach (var tree in sources)
        {
            var model = compilation.GetSemanticModel(tree);
            var changes = new List<TextChange>();
            foreach (var node in tree.GetRoot().DescendantNodes(descendIntoTrivia: true))
            {
                var (symbol, token) = node switch
                {
                    VariableDeclaratorSyntax declarator => (model.GetDeclaredSymbol(declarator), declarator.Identifier),
                    IdentifierNameSyntax name => (model.GetSymbolInfo(name).Symbol ?? model.GetSymbolInfo(name).CandidateSymbols.FirstOrDefault(), name.Identifier),
                    _ => (null, default),
                };
                if (symbol is null || WantedName(symbol, solution) is not { } wanted || wanted == symbol.Name)
                {
                    continue;
                }

                if (node is VariableDeclaratorSyntax && symbol.ContainingType?.GetMembers(wanted).Length > 0)
                {
                    Console.Error.WriteLine($"{tree.FilePath}:{token.GetLocation().GetLineSpan().StartLinePosition.Line + 1}: {symbol.Name} not renamed: {symbol.ContainingType.Name} already has a {wanted}");
                    skipped++;
                    continue;
                }

                if (symbol.ContainingType?.GetMembers(wanted).Length > 0)
                {
                    continue;
                }

                // new { field } and var t = (field, other) name a member after the field: keep that name.
                var named = node.Parent is MemberAccessExpressionSyntax member && member.Name == node ? member : node;
                if (named.Parent is AnonymousObjectMemberDeclaratorSyntax { NameEquals: null } anonymous)
                {
                    changes.Add(new TextChange(new TextSpan(anonymous.SpanStart, 0), symbol.Name + " = "));
                }
                else if (named.Parent is ArgumentSyntax { NameColon: null, Parent: TupleExpressionSyntax { Parent: EqualsValueClauseSyntax } } element)
                {
                    changes.Add(new TextChange(new TextSpan(element.SpanStart, 0), symbol.Name + ": "));
                }

                changes.Add(node.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access && access.Name == node && wanted.StartsWith('_')
                    ? new TextChange(access.Span, wanted)
                    : new TextChange(token.Span, wanted));
                if (node is VariableDeclaratorSyntax)
                {
                    renamed++;
                }
            }

            if (changes.Count > 0)
            {
                files++;
                if (check)
                {
                    Console.WriteLine($"{tree.FilePath}: {changes.Count} names to change");
                    continue;
                }

                var fixedText = tree.GetText().WithChanges(changes.DistinctBy(c => c.Span).OrderBy(c => c.Span.Start));
                File.WriteAllText(tree.FilePath, fixedText.ToString());
            }
        }

        return (renamed, files, skipped);
    }

    /// <summary>The name .editorconfig asks for, or null where its naming rules say nothing.</summary>
    private static string? WantedName(ISymbol symbol, IReadOnlySet<string> solution)
    {
        if (!solution.Contains(symbol.ContainingAssembly?.Name ?? "") || symbol.IsImplicitlyDeclared || symbol.Name.Length == 0)
        {
            return null;
        }

        var bare = symbol.Name.TrimStart('_');
        if (bare.Length == 0)
        {
            return null;
        }

        return symbol switch
        {
            IFieldSymbol { ContainingType.TypeKind: TypeKind.Enum } => null,
            IFieldSymbol { IsConst: true } or IFieldSymbol { IsStatic: true, IsReadOnly: true } or ILocalSymbol { IsConst: true } =>
                char.ToUpperInvariant(bare[0]) + bare[1..],
            IFieldSymbol { DeclaredAccessibility: Accessibility.Private } => "_" + char.ToLowerInvariant(bare[0]) + bare[1..],
            _ => null,
        };
    }

    /// <summary>The project's &lt;AssemblyName&gt; where it sets one (the CLI's is reviewbot).</summary>
    private static string? AssemblyName(string projectFile) =>
        System.Text.RegularExpressions.Regex.Match(File.ReadAllText(projectFile), "<AssemblyName>([^<]+)</AssemblyName>") is { Success: true } m ? m.Groups[1].Value.Trim() : null;

    private static bool InBuildOutput(string projectDirectory, string file)
    {
        var relative = Path.GetRelativePath(projectDirectory, file).Split(Path.DirectorySeparatorChar);
        return relative.Any(part => part is "bin" or "obj");
    }

    /// <summary>The shared frameworks (.NET and ASP.NET Core) and whatever the project's last build put in bin/.</summary>
    private static List<MetadataReference> References(string projectDirectory)
    {
        var netCore = RuntimeEnvironment.GetRuntimeDirectory();
        var aspNet = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(netCore.TrimEnd(Path.DirectorySeparatorChar))!)!, "Microsoft.AspNetCore.App");
        var folders = new List<string> { netCore };
        if (Directory.Exists(aspNet))
        {
            folders.AddRange(Directory.GetDirectories(aspNet).Order(StringComparer.Ordinal).TakeLast(1));
        }

        var bin = Path.Combine(projectDirectory, "bin");
        if (Directory.Exists(bin))
        {
            folders.AddRange(Directory.EnumerateFiles(bin, "*.dll", SearchOption.AllDirectories).Select(Path.GetDirectoryName).Distinct().Order(StringComparer.Ordinal).Take(1)!);
        }

        var byName = new Dictionary<string, MetadataReference>(StringComparer.OrdinalIgnoreCase);
        foreach (var dll in folders.SelectMany(f => Directory.EnumerateFiles(f, "*.dll")))
        {
            if (!byName.ContainsKey(Path.GetFileName(dll)) && IsAssembly(dll))
            {
                byName[Path.GetFileName(dll)] = MetadataReference.CreateFromFile(dll);
            }
        }

        return [.. byName.Values];
    }

    private static bool IsAssembly(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
