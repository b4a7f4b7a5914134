using System.Globalization;
using System.Text;

namespace ReviewBot.App.Azure;

/// <summary>
/// Makes any string a valid Table Storage key. Azure forbids '/', '\', '#', '?' and control characters in
/// PartitionKey and RowKey; we escape them (and '%') as %XX, which keeps keys readable and one-to-one.
/// </summary>
internal static class TableKeys
{
    public static string Escape(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        if (builder.Length > AzureStorageLimits.MaxKeyChars)
        {
            throw new ArgumentException($"Key '{value[..40]}…' is longer than Table Storage allows ({AzureStorageLimits.MaxKeyChars} characters).", nameof(value));
        }

        return builder.ToString();
    }
}
