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

    [Fact]
    public void Effective_user_is_known_before_every_instruction()
    {
        var stage = Build("FROM node:20\nRUN a\nUSER node\nRUN b\nUSER root\nRUN c\n").Stages[0];
        Assert.True(stage.UserBefore(0).IsRoot);
        Assert.Equal("node", stage.UserBefore(2).User);
        Assert.True(stage.UserBefore(4).IsRoot);
        Assert.Equal(UserOrigin.BaseImage, stage.UserBefore(0).Origin);
    }
}
