using System.Collections.Immutable;
using Azure.Data.Tables;

namespace ReviewBot.App.Azure;

/// <summary>
/// Stores a pull request's fingerprints in an entity: newline-joined, split over properties
/// <c>Fingerprints0</c>, <c>Fingerprints1</c>… of at most <see cref="AzureStorageLimits.MaxStringPropertyChars"/>
/// characters each, so any realistic number fits one entity; beyond the entity limit it fails loudly.
/// </summary>
internal static class FingerprintColumns
{
    public const string Prefix = "Fingerprints";

    /// <summary>Room kept for the other properties (keys, SHAs, timestamps) under the 1 MiB entity limit.</summary>
    private const int ReservedEntityBytes = 8 * 1024;

    /// <summary>Properties left for fingerprints after our other columns.</summary>
    private const int MaxChunks = AzureStorageLimits.MaxCustomProperties - 8;

    public static void Write(TableEntity entity, ImmutableHashSet<string> fingerprints)
    {
        foreach (var fingerprint in fingerprints)
        {
            if (fingerprint.Length == 0 || fingerprint.Contains('\n', StringComparison.Ordinal))
            {
                throw new ArgumentException("A fingerprint must be non-empty and on one line.", nameof(fingerprints));
            }
        }

        var joined = string.Join('\n', fingerprints.Order(StringComparer.Ordinal));
        // Table Storage counts string properties as 2 bytes per character.
        if (joined.Length * 2 > AzureStorageLimits.MaxEntityBytes - ReservedEntityBytes)
        {
            throw new InvalidOperationException(
                $"{fingerprints.Count} fingerprints ({joined.Length} characters) do not fit one Table Storage entity (1 MiB).");
        }

        var chunk = 0;
        for (var start = 0; start < joined.Length; start += AzureStorageLimits.MaxStringPropertyChars, chunk++)
        {
            if (chunk >= MaxChunks)
            {
                throw new InvalidOperationException("Too many fingerprint properties for one Table Storage entity.");
            }

            var length = Math.Min(AzureStorageLimits.MaxStringPropertyChars, joined.Length - start);
            entity[Prefix + chunk] = joined.Substring(start, length);
        }
    }

    public static ImmutableHashSet<string> Read(TableEntity entity)
    {
        var joined = string.Concat(Enumerable.Range(0, MaxChunks)
            .Select(i => entity.GetString(Prefix + i))
            .TakeWhile(part => part is not null));
        return joined.Length == 0
            ? ImmutableHashSet<string>.Empty
            : joined.Split('\n').ToImmutableHashSet(StringComparer.Ordinal);
    }
}
