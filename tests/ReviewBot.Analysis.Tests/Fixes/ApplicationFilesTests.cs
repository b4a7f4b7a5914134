using ReviewBot.Analysis.Fixes;

namespace ReviewBot.Analysis.Tests.Fixes;

public class ApplicationFilesTests
{
    [Theory]
    [InlineData("/app/data", "/app/data")]
    [InlineData("/", "/")]
    [InlineData("/app/", "/app")]
    [InlineData("//app//data", "/app/data")]
    [InlineData("/app/./data/.", "/app/data")]
    [InlineData("/app/../etc/passwd", "/etc/passwd")]
    [InlineData("/../..", "/")]
    [InlineData("/app/..", "/")]
    [InlineData("app/data", "/app/data")]
    [InlineData("", "/")]
    [InlineData("/.hidden/..data", "/.hidden/..data")]
    public void Normalize_makes_a_path_absolute_and_clean(string path, string expected)
    {
        Assert.Equal(expected, ApplicationFiles.Normalize(path));
    }

    [Fact]
    public void A_clean_absolute_path_is_returned_as_it_is_without_a_copy()
    {
        // The instance itself: a COPY's destination is normalized for every COPY of every file.
        string path = string.Concat("/app/", "data");

        Assert.Same(path, ApplicationFiles.Normalize(path));
    }

    [Fact]
    public void Normalize_agrees_with_resolving_each_part_in_turn()
    {
        string[] parts = ["app", "b", ".", "..", "", "c.d", "...", ".x"];
        var random = new Random(17);
        for (int i = 0; i < 5000; i++)
        {
            var path = (random.Next(4) == 0 ? "" : "/") + string.Join('/', Enumerable.Range(0, random.Next(7)).Select(_ => parts[random.Next(parts.Length)]));

            Assert.Equal(Resolved(path), ApplicationFiles.Normalize(path));
        }
    }

    /// <summary>The plain reading: a stack of parts, . skipped, .. popping one.</summary>
    private static string Resolved(string path)
    {
        var stack = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (stack.Count > 0)
                {
                    stack.RemoveAt(stack.Count - 1);
                }
            }
            else if (part != ".")
            {
                stack.Add(part);
            }
        }

        return "/" + string.Join('/', stack);
    }
}
