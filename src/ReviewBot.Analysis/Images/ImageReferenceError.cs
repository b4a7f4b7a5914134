namespace ReviewBot.Analysis.Images;

/// <summary>Why a <c>FROM</c> image text could not be turned into an <see cref="ImageReference"/>.</summary>
public enum ImageReferenceError
{
    /// <summary>The text parsed.</summary>
    None = 0,

    /// <summary>The text was null, empty or only whitespace.</summary>
    Empty,

    /// <summary>The text still holds a <c>$VAR</c> or <c>${VAR}</c> that nothing resolved: the image cannot be known.</summary>
    Unresolved,

    /// <summary>The text is not a valid image reference (bad characters, empty name component, malformed tag or digest).</summary>
    Invalid,
}
