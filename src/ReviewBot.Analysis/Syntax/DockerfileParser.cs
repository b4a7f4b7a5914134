namespace ReviewBot.Analysis.Syntax;

internal static class DockerfileParser
{
    public static DockerfileDocument Parse(string text) => throw new NotImplementedException();
}
