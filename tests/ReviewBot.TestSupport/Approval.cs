using Xunit;

namespace ReviewBot.TestSupport;

/// <summary>
/// Approval tests for what people read: the text is compared with <c>Approved/NAME</c> in the test project's folder,
/// so a change of wording is a visible diff in review. Every run also writes the text to <c>renders/NAME</c> under the
/// test output folder (tools/render turns those into HTML and screenshots). A mismatch writes
/// <c>Approved/NAME.received</c> beside the approved file and fails; <c>REVIEWBOT_APPROVE=1</c> accepts the new text.
/// </summary>
public static class Approval
{
    /// <summary>Where every run writes what it produced, for tools/render.</summary>
    public static string RenderFolder => Path.Combine(AppContext.BaseDirectory, "renders");

    public static void Verify(string project, string name, string received)
    {
        received = received.ReplaceLineEndings("\n");
        Directory.CreateDirectory(RenderFolder);
        File.WriteAllText(Path.Combine(RenderFolder, name), received);

        var approvedPath = Path.Combine(RepoRoot.Find(), "tests", project, "Approved", name);
        var receivedPath = approvedPath + ".received";
        if (Environment.GetEnvironmentVariable("REVIEWBOT_APPROVE") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(approvedPath)!);
            File.WriteAllText(approvedPath, received);
        }

        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : null;
        if (approved == received)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, received);
        Assert.Fail($"{name} differs from the approved text: compare {receivedPath} with {approvedPath}, and rerun with REVIEWBOT_APPROVE=1 if the change is intended.");
    }
}
