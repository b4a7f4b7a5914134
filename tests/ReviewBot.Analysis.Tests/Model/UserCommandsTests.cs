using System.Text.RegularExpressions;
using ReviewBot.Analysis.Model;
using ReviewBot.Analysis.Syntax;
using Xunit.Abstractions;

namespace ReviewBot.Analysis.Tests.Model;

public partial class UserCommandsTests(ITestOutputHelper output)
{
    private static readonly string[] Parts = ["groupadd", "addgroup", "useradd", "adduser", "usermod"];

    private static readonly string[] Mkdir = ["mkdir"];

    /// <summary>What CommandsContaining did before it stopped splitting every script: the oracle it must agree with.</summary>
    private static List<string> BySplitting(string shell, string[] parts)
    {
        var commands = new List<string>();
        foreach (var range in Separator().EnumerateSplits(shell))
        {
            if (parts.Any(p => shell.AsSpan(range).Contains(p, StringComparison.Ordinal)))
            {
                commands.Add(shell[range]);
            }
        }

        return commands;
    }

    [Theory]
    [InlineData("apt-get update && useradd -r app && mkdir /data")]
    [InlineData("a &&& useradd x")]
    [InlineData("a &&&& useradd x ||| mkdir y & z")]
    [InlineData("a & b useradd c & d | e")]
    [InlineData("&useradd&&mkdir&")]
    [InlineData("useradd a; useradd b\nadduser c|usermod -u 5 d")]
    [InlineData("groupadd g && useradd -g g u && addgroup x adduser")]
    [InlineData("no command here")]
    [InlineData("")]
    public void Commands_are_cut_where_a_split_on_separators_cuts_them(string shell)
    {
        Assert.Equal(BySplitting(shell, Parts), UserCommands.CommandsContaining(shell, Parts));
        Assert.Equal(BySplitting(shell, Mkdir), UserCommands.CommandsContaining(shell, Mkdir));
    }

    [Fact]
    public void Random_scripts_are_cut_as_a_split_cuts_them()
    {
        // Separators, lone and repeated & and |, and the parts (also overlapping: addgroupadd) in random order.
        string[] pieces = ["&", "|", ";", "\n", " ", "a", "useradd", "adduser", "addgroup", "groupadd", "usermod", "mkdir", "add", "user", "-p"];
        var random = new Random(20261202);
        for (int n = 0; n < 20_000; n++)
        {
            string shell = string.Concat(Enumerable.Range(0, random.Next(0, 14)).Select(_ => pieces[random.Next(pieces.Length)]));
            Assert.Equal(BySplitting(shell, Parts), UserCommands.CommandsContaining(shell, Parts));
            Assert.Equal(BySplitting(shell, Mkdir), UserCommands.CommandsContaining(shell, Mkdir));
        }
    }

    [Fact]
    public void Every_corpus_script_is_cut_as_a_split_cuts_it()
    {
        if (SharedCorpus.Directory is null)
        {
            output.WriteLine(SharedCorpus.AbsentMessage);
            return;
        }

        var (files, problems) = Corpus.Check(text =>
            DockerfileDocument.Parse(text).Instructions.Where(i => i.Is("RUN")).Select(DockerfileModel.ShellText)
                .Where(shell => !BySplitting(shell, Parts).SequenceEqual(UserCommands.CommandsContaining(shell, Parts))
                    || !BySplitting(shell, Mkdir).SequenceEqual(UserCommands.CommandsContaining(shell, Mkdir)))
                .Select(shell => shell.Length > 80 ? shell[..80] : shell));
        Assert.True(files >= 1000, $"only {files} corpus files found");
        Assert.Empty(problems);
    }

    [GeneratedRegex(@"&&|\|\||;|\||\n")]
    private static partial Regex Separator();
}
