using ReviewBot.Analysis.Model;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Tests.Model;

public class NameTableTests
{
    private static readonly Instruction Run = new() { Keyword = "RUN", StartLine = 1, EndLine = 1, Arguments = "useradd app" };

    private static CreatedUser User(string name, int? uid = null) => new(name, uid, Run);

    private static Dictionary<string, CreatedUser> Layer(params CreatedUser[] users)
    {
        var layer = new Dictionary<string, CreatedUser>(StringComparer.Ordinal);
        foreach (var user in users)
        {
            layer[user.Name] = user;
        }

        return layer;
    }

    [Fact]
    public void Names_are_listed_where_first_created_with_their_latest_creation()
    {
        var table = NameTable<CreatedUser>.Empty
            .With(Layer(User("b"), User("a", 1)))
            .With(Layer(User("c"), User("a", 2)));

        Assert.Equal(["b", "a", "c"], table.Keys);
        Assert.Equal(2, table["a"].Uid);
        Assert.Equal(3, table.Count);
    }

    [Fact]
    public void A_table_never_changes_when_another_is_made_from_it()
    {
        var parent = NameTable<CreatedUser>.Empty.With(Layer(User("app", 1000)));
        var child = parent.With(Layer(User("app", 0), User("svc")));

        Assert.Equal(1000, parent["app"].Uid);
        Assert.False(parent.ContainsKey("svc"));
        Assert.Equal(0, child["app"].Uid);
        Assert.Single(parent);
    }

    [Fact]
    public void A_chain_of_thousands_of_tables_finds_and_lists_every_name()
    {
        // Each link adds one user, and every tenth re-creates an earlier one: the layers merge under the links.
        var table = NameTable<CreatedUser>.Empty;
        var chain = new List<NameTable<CreatedUser>>();
        for (int i = 0; i < 5000; i++)
        {
            var layer = Layer(User($"u{i}", i));
            if (i % 10 == 9)
            {
                layer[$"u{i / 2}"] = User($"u{i / 2}", -i);
            }

            table = table.With(layer);
            chain.Add(table);
        }

        Assert.Equal(5000, table.Count);
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => $"u{i}"), table.Keys);
        Assert.Equal(-4999, table["u2499"].Uid);
        Assert.Equal(0, table["u0"].Uid);
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => table[$"u{i}"]), table.Values);

        // An earlier link still sees only what was created up to it.
        var early = chain[99];
        Assert.Equal(100, early.Count);
        Assert.False(early.ContainsKey("u100"));
        Assert.Equal(-99, early["u49"].Uid);
    }

    [Fact]
    public void Nothing_added_is_the_same_table()
    {
        var table = NameTable<CreatedUser>.Empty.With(Layer(User("app")));
        Assert.Same(table, table.With(Layer()));
        Assert.Empty(NameTable<CreatedUser>.Empty);
        Assert.Throws<KeyNotFoundException>(() => table["nobody"]);
    }
}
