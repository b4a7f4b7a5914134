using System.Collections;
using System.Reflection;
using ReviewBot.Analysis.Images;

namespace ReviewBot.Analysis.Tests.Images;

/// <summary>
/// The catalog compiled into ReviewBot.Analysis (ImageCatalog.Generated.cs) is images.json: the file says what the
/// data file says, and the catalog it builds is, field by field, the one <see cref="ImageCatalog.Load"/> builds.
/// </summary>
public class ImageCatalogSourceTests
{
    [Fact]
    public void Generated_catalog_is_images_json()
    {
        string root = RepoRoot.Find();
        string expected;
        using (var json = ImageCatalogSource.OpenData())
        {
            expected = ImageCatalogSource.Generate(ImageCatalog.Load(json));
        }

        string path = Path.Combine(root, ImageCatalogSource.GeneratedPath);
        if (Environment.GetEnvironmentVariable(ImageCatalogSource.UpdateVariable) == "1")
        {
            File.WriteAllText(path, expected);
        }

        string actual = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
        if (actual != expected)
        {
            var expectedLines = expected.Split('\n');
            var actualLines = actual.Split('\n');
            int line = 0;
            while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line])
            {
                line++;
            }

            Assert.Fail(
                $"{ImageCatalogSource.GeneratedPath} does not say what {ImageCatalogSource.DataPath} says (first difference at line {line + 1}: " +
                $"'{(line < actualLines.Length ? actualLines[line].Trim() : "")}', expected '{(line < expectedLines.Length ? expectedLines[line].Trim() : "")}'). " +
                $"Regenerate it with `{ImageCatalogSource.RegenerateCommand}` and commit both files.");
        }
    }

    [Fact]
    public void Built_in_catalog_is_the_loaded_catalog_field_by_field()
    {
        // The text above only shows the generated file is what the generator writes today; this shows what it writes
        // builds the same values, every field included (also one the generator would not know of yet).
        using var stream = ImageCatalogSource.OpenData();
        var loaded = ImageCatalog.Load(stream);
        var builtIn = ImageCatalog.BuiltIn();

        var failure = Record.Exception(() =>
        {
            AssertSame(loaded.Entries, builtIn.Entries, "entries");
            AssertSame(loaded.Guesses, builtIn.Guesses, "guesses");
            AssertSame(loaded.Aliases, builtIn.Aliases, "aliases");
            AssertSame(loaded.Families, builtIn.Families, "families");
            AssertSame(loaded.DataProblems, builtIn.DataProblems, "problems");
            Assert.Equal(loaded.Patterns.ToArray(), builtIn.Patterns.ToArray());
            foreach (var repository in loaded.Entries.SelectMany(e => e.Repositories).Append("no-such/repository"))
            {
                Assert.Equal(loaded.EntriesOf(repository).ToArray(), builtIn.EntriesOf(repository).ToArray());
            }

            foreach (var family in Enum.GetValues<DistroFamily>())
            {
                AssertSame(loaded.FamilyDefaults(family), builtIn.FamilyDefaults(family), family.ToString());
            }
        });
        Assert.True(failure is null, $"{failure?.Message}\n(images.json changed without `{ImageCatalogSource.RegenerateCommand}`?)");
    }

    [Fact]
    public void Built_in_catalog_allocates_a_fraction_of_loading_the_json()
    {
        // Loading images.json allocated ~560 KB at every start (ImageDataFileTests bounds it), of which ~320 KB stayed
        // live for the garbage collector to copy twice. The compiled catalog makes an entry when a lookup first needs
        // it: making all of them allocated ~73 KB, which the collector zeroed and faulted in at every start. Now ~9 KB.
        ImageCatalog.BuiltIn().Lookup(Parse("node:22-bookworm"));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var catalog = ImageCatalog.BuiltIn();
        var node = catalog.Lookup(Parse("node:22-bookworm"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("node", node.Source);
        Assert.True(allocated < 16_000, $"{allocated:N0} bytes");

        static ImageReference Parse(string text) => ImageReference.TryParse(text, out var image) ? image : throw new ArgumentException(text);
    }

    [Theory]
    [InlineData("plain text", "\"plain text\"")]
    [InlineData("say \"hi\" \\ bye", "\"say \\\"hi\\\" \\\\ bye\"")]
    [InlineData("a\nb\tc\u0001", "\"a\\nb\\tc\\u0001\"")]
    [InlineData("café → ok", "\"café → ok\"")]
    [InlineData("line\u2028break", "\"line\\u2028break\"")]
    [InlineData("emoji \U0001F600", "\"emoji \\ud83d\\ude00\"")]
    public void Literals_escape_what_would_break_a_CSharp_string(string text, string literal)
    {
        Assert.Equal(literal, ImageCatalogSource.Literal(text));
    }

    /// <summary>Equal values, compared through every field (private ones too), lists element by element.</summary>
    private static void AssertSame(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: {expected ?? "null"} != {actual ?? "null"}");
            return;
        }

        var type = expected.GetType();
        Assert.True(type == actual.GetType(), $"{path}: {type} != {actual.GetType()}");
        if (type.IsPrimitive || type.IsEnum || expected is string)
        {
            Assert.True(Equals(expected, actual), $"{path}: {expected} != {actual}");
            return;
        }

        if (expected is IEnumerable expectedItems)
        {
            var left = expectedItems.Cast<object?>().ToList();
            var right = ((IEnumerable)actual).Cast<object?>().ToList();
            Assert.True(left.Count == right.Count, $"{path}: {left.Count} items != {right.Count}");
            for (int i = 0; i < left.Count; i++)
            {
                AssertSame(left[i], right[i], $"{path}[{i}]");
            }

            return;
        }

        var fields = type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        Assert.NotEmpty(fields);
        foreach (var field in fields)
        {
            AssertSame(field.GetValue(expected), field.GetValue(actual), $"{path}.{field.Name}");
        }
    }
}
