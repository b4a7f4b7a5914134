namespace ReviewBot.Analysis.Images;

/// <summary>
/// The distribution a base image is built on, which decides how a fix creates a user.
/// The data file names them in kebab-case (<c>ubi-minimal</c>, <c>amazonlinux</c>…).
/// </summary>
public enum DistroFamily
{
    /// <summary>Nothing is known: a fix must work everywhere (a numeric <c>USER</c>, no <c>RUN</c>).</summary>
    Unknown = 0,
    Debian,
    Ubuntu,
    Alpine,
    Busybox,

    /// <summary>RHEL and its relatives with dnf/yum: ubi, ubi-init, fedora, centos, rocky, alma, oraclelinux.</summary>
    Rhel,

    /// <summary>ubi-minimal and the <c>-minimal</c> images of RHEL relatives: microdnf, and usually no shadow-utils.</summary>
    UbiMinimal,

    /// <summary>ubi-micro: a shell and coreutils, no package manager, no user tools.</summary>
    UbiMicro,
    AmazonLinux,
    AzureLinux,

    /// <summary>Wolfi and Chainguard images (apk; BusyBox in the <c>-dev</c> variants).</summary>
    Wolfi,

    /// <summary>No package manager and usually no shell: gcr.io/distroless, Ubuntu chiseled, Azure Linux distroless.</summary>
    Distroless,
    Scratch,
    Windows,
    ArchLinux,
    OpenSuse,
}
