namespace ReviewBot.Analysis.Images;

/// <summary>Which commands a base image has to create users and groups.</summary>
public enum UserTools
{
    /// <summary>None: a fix must use a numeric <c>USER</c> (or install the tools itself).</summary>
    None = 0,

    /// <summary>shadow-utils: <c>groupadd</c> and <c>useradd</c>.</summary>
    Shadow,

    /// <summary>BusyBox applets: <c>addgroup</c> and <c>adduser</c> with short options (<c>-S -G -H -D</c>).</summary>
    BusyBox,
}
