namespace ReviewBot.Analysis.Images;

/// <summary>
/// A user that a base image already has in its <c>/etc/passwd</c> (or, on Windows, its built-in accounts).
/// <paramref name="UserExpression"/> is what a fix should write after <c>USER</c> to switch to it when that is
/// not simply <paramref name="Name"/> (e.g. <c>$APP_UID</c> in .NET images, so the value stays numeric).
/// </summary>
public sealed record ShippedUser(string Name, int? Uid, int? Gid, string? UserExpression = null)
{
    /// <summary>What to write after <c>USER</c> to run as this user.</summary>
    public string UserText => UserExpression ?? Name;
}
