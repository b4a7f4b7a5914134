using ReviewBot.Analysis.Model;
using ReviewBot.Analysis.Syntax;

namespace ReviewBot.Analysis.Tests.Model;

public class DockerfileModelTests
{
    private static DockerfileModel Build(string text) => DockerfileModel.Build(DockerfileDocument.Parse(text));

    [Fact]
    public void A_from_names_an_earlier_stage_in_any_case_but_never_a_later_one()
    {
        var model = Build("FROM runtime AS Build\nRUN go build\nFROM alpine:3.20\nCOPY --from=0 /out /out\nFROM BUILD\nFROM golang:1.22 AS runtime\n");
        Assert.Null(model.Stages[0].Parent);
        Assert.Equal("runtime", model.Stages[0].RootImage!.Repository);
        Assert.Null(model.Stages[1].Parent);
        Assert.Same(model.Stages[0], model.Stages[2].Parent);
        Assert.Equal("runtime", model.Stages[2].RootImage!.Repository);
    }

    [Fact]
    public void Global_args_reach_from_lines_and_only_redeclared_args_reach_the_stage()
    {
        var model = Build("ARG BASE=debian:bookworm-slim\nARG U=app\nFROM $BASE\nARG U\nENV HOME_DIR=/home/$U\nUSER $U\n");
        var stage = Assert.Single(model.Stages);
        Assert.Equal("debian:bookworm-slim", stage.Image.Text);
        Assert.Equal("app", stage.FinalUser.Spec);
        Assert.Equal("/home/app", stage.FinalScope["HOME_DIR"].Value);
    }

    [Fact]
    public void Env_is_inherited_by_a_child_stage_and_args_are_not()
    {
        var model = Build("FROM debian:bookworm-slim AS base\nARG A=1\nENV E=2\nFROM base\nUSER $E\n");
        var child = model.Stages[1];
        Assert.True(child.FinalEnv.ContainsKey("E"));
        Assert.False(child.FinalScope.ContainsKey("A"));
        Assert.Equal("2", child.FinalUser.Spec);
    }

    [Fact]
    public void Env_overrides_an_arg_of_the_same_name()
    {
        var stage = Build("FROM debian:bookworm-slim\nENV U=app\nARG U=root\nUSER $U\n").Stages[0];
        Assert.Equal("app", stage.FinalUser.Spec);
        Assert.False(stage.FinalUser.IsRoot);
    }

    [Theory]
    [InlineData("RUN [\"sh\", \"-c\", \"useradd -r -u 1001 app\"]")]
    [InlineData("RUN [\"/bin/sh\", \"-ec\", \"apt-get update && useradd -r -u 1001 app\"]")]
    public void A_user_created_by_an_exec_form_shell_script_is_known(string run)
    {
        var model = Build("FROM debian:bookworm-slim\n" + run + "\nUSER app\n");

        Assert.Equal(1001, model.FinalStage!.CreatedUsers["app"].Uid);
    }

    [Fact]
    public void Effective_user_is_known_before_every_instruction()
    {
        var stage = Build("FROM node:20\nRUN a\nUSER node\nRUN b\nUSER root\nRUN c\n").Stages[0];
        Assert.True(stage.UserBefore(0).IsRoot);
        Assert.Equal("node", stage.UserBefore(2).User);
        Assert.True(stage.UserBefore(4).IsRoot);
        Assert.Equal(UserOrigin.BaseImage, stage.UserBefore(0).Origin);
    }

    [Fact]
    public void Each_instruction_sees_the_values_declared_before_it_and_not_after()
    {
        // The scope is a history per name, searched by instruction: an early instruction must not see a later value.
        var stage = Build("FROM debian:bookworm-slim\nENV A=1\nWORKDIR /$A\nARG B=x\nENV A=2\nWORKDIR /$A/$B\nENV A=3\n").Stages[0];
        Assert.Equal("/", stage.ExpandAt(0, "/$A").Text);
        Assert.Equal("/1", stage.ExpandAt(1, "/$A").Text);
        Assert.Equal("/1/x", stage.ExpandAt(3, "/$A/$B").Text);
        Assert.Equal("/2/x", stage.ExpandAt(4, "/$A/$B").Text);
        Assert.Equal("3", stage.ValueBefore(6, "A")!.Value.Value);
        Assert.Equal("2", stage.ValueBefore(5, "A")!.Value.Value);
        Assert.Null(stage.ValueBefore(2, "B"));
        Assert.Equal("3", stage.FinalScope["A"].Value);
        Assert.Equal("x", stage.FinalScope["B"].Value);
    }

    [Fact]
    public void A_declaration_reads_the_values_from_before_its_own_instruction()
    {
        var stage = Build("FROM debian:bookworm-slim\nENV A=1\nENV A=2 B=$A\n").Stages[0];
        Assert.Equal("1", stage.FinalScope["B"].Value);
        Assert.Equal("2", stage.FinalScope["A"].Value);
    }

    [Fact]
    public void A_child_inherits_the_last_env_value_and_no_arg_even_one_declared_before_the_env()
    {
        var model = Build("FROM debian:bookworm-slim AS base\nARG A=arg\nENV A=env1\nARG A=ignored\nENV A=env2\nARG ONLY_ARG=1\nFROM base\nRUN true\n");
        var parent = model.Stages[0];
        Assert.Equal("env2", parent.FinalEnv["A"].Value);
        Assert.False(parent.FinalEnv.ContainsKey("ONLY_ARG"));
        Assert.Equal("1", parent.FinalScope["ONLY_ARG"].Value);
        var child = model.Stages[1];
        Assert.Equal("env2", child.ValueBefore(0, "A")!.Value.Value);
        Assert.Null(child.ValueBefore(0, "ONLY_ARG"));
    }

    [Theory]
    [InlineData("RUN [\"sh\", \"-c\", \"useradd app\"]", "sh -c\nuseradd app")]
    [InlineData("RUN [\"/bin/bash\", \"-e\", \"-c\", \"useradd app\", \"name\", \"arg\"]", "/bin/bash -e -c\nuseradd app\nname arg")]
    [InlineData("RUN [\"make\", \"install\"]", "make install")]
    public void An_exec_form_shell_script_is_its_own_line_between_the_words_around_it(string run, string shell)
    {
        var instruction = DockerfileDocument.Parse($"FROM debian\n{run}\n").Instructions[1];
        Assert.Equal(shell, DockerfileModel.ShellText(instruction));
    }
}
