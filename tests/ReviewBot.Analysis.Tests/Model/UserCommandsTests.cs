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

    /// <summary>What Find did before it read commands in place: a list of word strings per command. The oracle it must agree with.</summary>
    private static List<(string Name, int? Uid, bool IsGroup)> ByWordLists(string shell)
    {
        HashSet<string> withValue =
        [
            "-u", "--uid", "-g", "--gid", "-G", "--groups", "-d", "--home", "--home-dir", "-s", "--shell", "-c", "--comment",
            "-k", "--skel", "-K", "--key", "-e", "--expiredate", "-f", "--inactive", "-p", "--password", "-R", "--root",
            "-P", "--prefix", "-b", "--base-dir", "-h", "--ingroup", "--gecos", "--firstuid", "--lastuid", "--add-extra-groups",
            "--conf", "--extrausers", "-Z", "--selinux-user",
        ];
        var found = new List<(string, int?, bool)>();
        foreach (var segment in UserCommands.CommandsContaining(shell, Parts))
        {
            var words = UserCommands.Words(segment);
            int start = 0;
            while (start < words.Count && (words[start] is "sudo" or "exec" or "command" || words[start].Contains('=')))
            {
                start++;
            }

            if (start >= words.Count)
            {
                continue;
            }

            string command = Path.GetFileName(words[start]);
            bool isGroup = command is "groupadd" or "addgroup";
            bool isMod = command == "usermod";
            if (!isGroup && command is not ("useradd" or "adduser") && !isMod)
            {
                continue;
            }

            string? name = null;
            int? uid = null;
            for (int i = start + 1; i < words.Count; i++)
            {
                string word = words[i];
                string option = word;
                string? value = null;
                int eq = word.IndexOf('=');
                if (word.StartsWith("--", StringComparison.Ordinal) && eq > 0)
                {
                    option = word[..eq];
                    value = word[(eq + 1)..];
                }

                if (word.StartsWith('-') && word.Length > 1)
                {
                    if (option.Length > 2 && option[1] != '-' && option.Skip(1).All(char.IsAsciiLetter))
                    {
                        option = "-" + option[^1];
                    }

                    bool takesValue = withValue.Contains(option) || (command == "adduser" && option is "-h" or "-g" or "-s" or "-G" or "-u" or "-k");
                    if (takesValue && value is null && i + 1 < words.Count)
                    {
                        value = words[++i];
                    }

                    if ((option is "-u" or "--uid" && !isGroup) || (option is "-g" or "--gid" && isGroup))
                    {
                        uid = int.TryParse(value, out int parsed) ? parsed : null;
                    }

                    continue;
                }

                if (word.StartsWith('>') || word.StartsWith('<') || word == "2>&1")
                {
                    break;
                }

                if (word.Length > 0)
                {
                    name ??= word;
                }
            }

            if (name is not null && name.Length is > 0 and <= 64 && (char.IsAsciiLetterOrDigit(name[0]) || name[0] == '_')
                && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '$') && (!isMod || uid is not null))
            {
                found.Add((name, uid, isGroup && !isMod));
            }
        }

        if (shell.Contains("/etc/passwd", StringComparison.Ordinal))
        {
            foreach (Match match in Regex.Matches(shell, @"(?<![\w.-])(?<name>[a-z_][a-z0-9_.-]*):[^:\s]*:(?<uid>\d{1,9}):\d{1,9}:", RegexOptions.IgnoreCase))
            {
                found.Add((match.Groups["name"].Value, int.Parse(match.Groups["uid"].Value, System.Globalization.CultureInfo.InvariantCulture), false));
            }
        }

        return found;
    }

    [Theory]
    [InlineData("useradd -r -u 1001 -g app app")]
    [InlineData("sudo A=1 /usr/sbin/useradd --uid=7 -ms /bin/bash 'svc'")]
    [InlineData("groupadd -g 10 grp && adduser -D -u 5 -G grp u > /dev/null")]
    [InlineData("usermod -u 900 www-data; usermod -aG docker www-data")]
    [InlineData("useradd --uid= \"\" x")]
    [InlineData("adduser -h /home/a -s /bin/sh -u 12 a 2>&1")]
    [InlineData("echo 'app:x:1000:1000::/app:/bin/sh' >> /etc/passwd")]
    [InlineData("useradd (x) {y}")]
    public void Users_are_found_as_word_lists_found_them(string shell)
    {
        Assert.Equal(ByWordLists(shell), UserCommands.Find(shell));
    }

    [Fact]
    public void Random_user_commands_are_read_as_word_lists_read_them()
    {
        // Commands, options with and without values, clusters, quotes, brackets, redirections and separators, in random order.
        string[] pieces =
        [
            " ", "  ", "\t", "\n", "&&", ";", "|", "useradd", "adduser", "groupadd", "addgroup", "usermod", "/usr/sbin/useradd", "sudo", "exec",
            "command", "A=1", "-u", "--uid", "--uid=", "--uid=42", "-g", "--gid=9", "-ms", "-Dh", "-r", "-m", "--system", "1000", "0", "x1", "app",
            "www-data", "\"\"", "''", "\"", "'", "(", ")", "{", "}", ">", "<", "2>&1", ">/dev/null", "-", "--", "$U", "a.b", "_n", "-G", "-k",
        ];
        var random = new Random(20261206);
        for (int n = 0; n < 50_000; n++)
        {
            // Mostly a blank between pieces, so that whole commands form; sometimes none, so that words run together.
            string shell = string.Concat(Enumerable.Range(0, random.Next(0, 16)).Select(_ => pieces[random.Next(pieces.Length)] + (random.Next(4) == 0 ? "" : " ")));
            Assert.Equal(ByWordLists(shell), UserCommands.Find(shell));
        }
    }

    [Fact]
    public void Every_corpus_script_creates_the_users_word_lists_found()
    {
        if (SharedCorpus.Directory is null)
        {
            output.WriteLine(SharedCorpus.AbsentMessage);
            return;
        }

        var (files, problems) = Corpus.Check(text =>
            DockerfileDocument.Parse(text).Instructions.Where(i => i.Is("RUN")).Select(DockerfileModel.ShellText)
                .Where(shell => !ByWordLists(shell).SequenceEqual(UserCommands.Find(shell)))
                .Select(shell => shell.Length > 80 ? shell[..80] : shell));
        Assert.True(files >= 1000, $"only {files} corpus files found");
        Assert.Empty(problems);
    }

    [GeneratedRegex(@"&&|\|\||;|\||\n")]
    private static partial Regex Separator();
}
