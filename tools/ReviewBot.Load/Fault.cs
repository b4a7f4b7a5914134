namespace ReviewBot.Load;

/// <summary>How the fake GitHub misbehaves: each fault hits every pull request's first try of one call.</summary>
public enum Fault
{
    None,

    /// <summary>The files list answers 500 once per pull request.</summary>
    Status500,

    /// <summary>The files list answers 502 once per pull request.</summary>
    Status502,

    /// <summary>The files list hangs past the App's request timeout once per pull request.</summary>
    Timeout,

    /// <summary>The review answers 403 "secondary rate limit" with Retry-After once per pull request.</summary>
    SecondaryRateLimit,

    /// <summary>The files list answers 429 with Retry-After once per pull request.</summary>
    TooManyRequests,

    /// <summary>Halfway through the run every installation token in use is revoked: calls with it get 401.</summary>
    Unauthorized,

    /// <summary>The review answers 422 (a line outside the diff) once per pull request.</summary>
    Unprocessable,
}
