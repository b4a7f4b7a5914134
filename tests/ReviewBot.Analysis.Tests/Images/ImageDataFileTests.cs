using System.Text;
using ReviewBot.Analysis.Images;

namespace ReviewBot.Analysis.Tests.Images;

public class ImageDataFileTests
{
    [Fact]
    public void Built_in_data_has_no_problems()
    {
        // Problems cover: unknown family or userTools names, families without defaults, duplicate ids, broken or
        // cyclic extends, entries that match nothing, bad tag conditions, preferred users that are not shipped,
        // and every entry's examples resolving to that very entry (so none is unreachable or shadowed).
        Assert.Empty(ImageKnowledge.Current.Problems);
    }

    [Fact]
    public void Every_entry_and_guess_is_reached_by_its_examples()
    {
        var catalog = ImageKnowledge.Current;
        Assert.NotEmpty(catalog.Entries);
        Assert.NotEmpty(catalog.Guesses);
        foreach (var entry in catalog.Entries.AddRange(catalog.Guesses))
        {
            Assert.NotEmpty(entry.Examples);
            foreach (var example in entry.Examples)
            {
                Assert.Equal(entry.Id, ImageKnowledge.Lookup(example).Source);
            }
        }
    }

    [Fact]
    public void Every_entry_names_a_real_family_and_guesses_are_flagged()
    {
        var catalog = ImageKnowledge.Current;
        Assert.All(catalog.Entries, e => Assert.True(e.Info.Family != DistroFamily.Unknown && e.Info.IsKnown && !e.Info.IsGuessed, e.Id));
        Assert.All(catalog.Guesses, e => Assert.True(e.Info.Family != DistroFamily.Unknown && !e.Info.IsKnown && e.Info.IsGuessed, e.Id));
    }

    [Fact]
    public void Every_family_has_defaults_in_the_data_file()
    {
        var used = ImageKnowledge.Current.Entries.Select(e => e.Info.Family).ToHashSet();
        foreach (var family in Enum.GetValues<DistroFamily>().Where(f => f != DistroFamily.Unknown))
        {
            Assert.Contains(family, used);
        }
    }

    [Fact]
    public void Entries_without_a_shell_never_claim_user_tools_and_notes_are_written()
    {
        foreach (var entry in ImageKnowledge.Current.Entries)
        {
            Assert.False(!entry.Info.HasShell && entry.Info.HasUserTools, entry.Id);
            Assert.False(string.IsNullOrWhiteSpace(entry.Info.Note), entry.Id);
        }
    }

    [Fact]
    public void Every_shipped_user_is_a_posix_name_a_suggestion_may_carry()
    {
        // Fixes write these names into USER, --chown and chown lines: only valid POSIX names and ids are safe to click.
        foreach (var entry in ImageKnowledge.Current.Entries.AddRange(ImageKnowledge.Current.Guesses))
        {
            foreach (var user in entry.Info.ShippedUsers)
            {
                Assert.True(ReviewBot.Analysis.Fixes.SafeText.IsValidUserOrId(user.Name), $"{entry.Id}: {user.Name}");
                Assert.True(user.UserExpression is null || System.Text.RegularExpressions.Regex.IsMatch(user.UserExpression, @"^(\$\{?[A-Z_][A-Z0-9_]*\}?|[0-9]+(:[0-9]+)?)$"), $"{entry.Id}: {user.UserExpression}");
            }
        }
    }

    [Fact]
    public void Every_unprivileged_variant_is_a_known_image_that_runs_as_non_root()
    {
        var withVariant = ImageKnowledge.Current.Entries.Where(e => e.Info.UnprivilegedVariant is not null).ToList();
        Assert.NotEmpty(withVariant);
        foreach (var entry in withVariant)
        {
            foreach (var example in entry.Examples)
            {
                var variant = ImageKnowledge.Lookup(entry.Info.UnprivilegedVariant + (ImageReference.TryParse(example, out var image) && image.Tag is { } tag ? ":" + tag : ""));
                Assert.True(variant.IsKnown && !variant.IsGuessed && variant.DefaultsToNonRoot && variant.Family == entry.Info.Family, $"{entry.Id}: {example}");
            }
        }
    }

    [Fact]
    public void Problems_are_reported_for_a_broken_data_file()
    {
        const string Json = """
            {
              "version": 1,
              "families": { "debian": { "hasShell": true, "userTools": "shadow" }, "klingon": { "hasShell": true } },
              "entries": [
                { "id": "a", "repositories": ["a"], "family": "debian", "examples": ["a"] },
                { "id": "a", "repositories": ["b"], "family": "debain", "examples": ["b"] },
                { "id": "c", "family": "debian", "examples": [] },
                { "id": "d", "extends": "nope", "repositories": ["d"], "family": "debian", "tags": [">=x"], "preferredUser": "ghost", "userTools": "sudo", "examples": ["d:1"] },
                { "id": "e", "repositories": ["a"], "family": "debian", "examples": ["a:2"] }
              ],
              "guesses": [ { "id": "g", "family": "debian", "examples": ["zzz"] } ]
            }
            """;
        var problems = ImageCatalog.Load(new MemoryStream(Encoding.UTF8.GetBytes(Json))).Problems;
        Assert.Contains(problems, p => p.Contains("'klingon' is not a known family", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'klingon' must give both", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("id 'a' is used twice", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("family 'debain' is not a known family", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'c' has neither repositories nor patterns", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'c' has no examples", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("extends 'nope'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("tag condition '>=x'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("preferredUser 'ghost'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("userTools 'sudo'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("example 'a:2' resolves to 'a'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Guess 'g' has neither patterns nor tags", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_fields_and_malformed_json_are_rejected_clearly()
    {
        var typo = """{ "version": 1, "entries": [ { "id": "a", "repository": ["a"] } ] }""";
        var error = Assert.Throws<InvalidDataException>(() => ImageCatalog.Load(new MemoryStream(Encoding.UTF8.GetBytes(typo))));
        Assert.Contains("images.json", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => ImageCatalog.Load(new MemoryStream(Encoding.UTF8.GetBytes("{ nope"))));
    }

    [Fact]
    public void Extends_cycle_is_a_problem_not_a_hang()
    {
        const string Json = """
            {
              "version": 1,
              "families": { "debian": { "hasShell": true, "userTools": "shadow" } },
              "entries": [
                { "id": "a", "extends": "b", "repositories": ["a"], "examples": ["a"] },
                { "id": "b", "extends": "a", "repositories": ["b"], "examples": ["b"] }
              ]
            }
            """;
        var problems = ImageCatalog.Load(new MemoryStream(Encoding.UTF8.GetBytes(Json))).Problems;
        Assert.Contains(problems, p => p.Contains("extends itself", StringComparison.Ordinal));
    }

    [Fact]
    public void Remembered_matches_are_bounded_and_answer_as_a_fresh_match_does()
    {
        // Matches are remembered per image, so a scan does not walk the patterns and tag conditions for every FROM;
        // made-up names must not grow that memory without bound, and an answer must not depend on it.
        using var stream = ImageCatalogSource.OpenData();
        var catalog = ImageCatalog.Load(stream);
        string[] known = ["debian:bookworm-slim", "node:20-alpine", "mcr.microsoft.com/dotnet/aspnet:8.0", "gcr.io/distroless/static:nonroot", "nginx", "python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"];
        var first = known.Select(k => catalog.Match(Parse(k))?.Id).ToList();

        for (int i = 0; i < ImageCatalog.MaxRememberedMatches + 500; i++)
        {
            Assert.Null(catalog.Match(Parse($"example.com/made-up/image-{i}:1.{i}")));
        }

        Assert.InRange(catalog.RememberedMatches, 1, ImageCatalog.MaxRememberedMatches);
        Assert.Equal(first, known.Select(k => catalog.Match(Parse(k))?.Id));
        Assert.Equal(first, known.Select(k => ImageKnowledge.Lookup(k).Source));
        Assert.Equal("debian", catalog.Match(Parse("debian:trixie"))?.Info.Family.ToString().ToLowerInvariant());

        static ImageReference Parse(string text) => ImageReference.TryParse(text, out var image) ? image : throw new ArgumentException(text);
    }

    [Fact]
    public void Loading_the_data_allocates_a_bounded_multiple_of_its_text()
    {
        // Every `reviewbot scan` loaded the catalog once (it now uses the compiled one: ImageCatalogSourceTests), and
        // what it allocated cost start-up and the one garbage collection. Was ~907 KB: a frozen table analysed every
        // repository name, and resolving each entry's facts ran a LINQ pipeline (an iterator and closures) per fact.
        // Now ~560 KB; the tests and the generator still load it.
        using var warm = ImageCatalogSource.OpenData();
        ImageCatalog.Load(warm);
        using var stream = ImageCatalogSource.OpenData();
        long length = stream.Length;

        long before = GC.GetAllocatedBytesForCurrentThread();
        var catalog = ImageCatalog.Load(stream);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.NotEmpty(catalog.Entries);
        Assert.True(allocated < 700_000, $"{allocated:N0} bytes for {length:N0} bytes of JSON");
    }
}
