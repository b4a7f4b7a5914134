using ReviewBot.Analysis.Model;

namespace ReviewBot.Analysis.Tests.Model;

public class VariableNamesTests
{
    [Fact]
    public void A_name_met_again_is_the_same_string()
    {
        string first = VariableNames.Get("echo $APP_HOME/bin".AsSpan(6, 8));
        string second = VariableNames.Get("${APP_HOME}".AsSpan(2, 8));
        Assert.Equal("APP_HOME", first);
        Assert.Same(first, second);
    }

    [Fact]
    public void Made_up_names_do_not_grow_the_table_without_bound()
    {
        for (int i = 0; i < VariableNames.MaxNames + 1000; i++)
        {
            Assert.Equal($"NAME_{i}", VariableNames.Get($"NAME_{i}"));
        }

        Assert.InRange(VariableNames.Kept, 1, VariableNames.MaxNames);
        // Once full it starts again, so the names real files use are kept again.
        string home = VariableNames.Get("HOME");
        Assert.Same(home, VariableNames.Get("$HOME".AsSpan(1)));
        string longName = new('X', 1000);
        Assert.Equal(longName, VariableNames.Get(longName));
    }
}
