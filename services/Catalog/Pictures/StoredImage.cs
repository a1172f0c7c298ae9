using System.Security.Cryptography;
using SkiaSharp;

namespace Ticketing.Catalog.Pictures;

/// <summary>What a picture shows: a product (one variant of it, when set) or a concert.</summary>
public enum ImageOwner
{
    Product,
    Concert,
}

/// <summary>An uploaded picture, as it came, in the Catalog's own database. Immutable: a new picture is a new id.</summary>
public sealed record StoredImage
{
    public Guid Id { get; init; }
    public ImageOwner OwnerKind { get; init; }
    public Guid OwnerId { get; init; }
    public string? Variant { get; init; }
    public required string ContentType { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }
    public required byte[] Bytes { get; init; }

    /// <summary>Lowercase hex SHA-256 of the bytes: the base of every rendition's ETag.</summary>
    public required string Sha256 { get; init; }
    public DateTimeOffset UploadedAt { get; init; }
}

/// <summary>Section <c>Catalog:Images</c>.</summary>
public sealed class ImageOptions
{
    /// <summary>The largest upload accepted.</summary>
    public int MaxBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>The largest width or height accepted (a small file may still decode to a huge bitmap).</summary>
    public int MaxDimension { get; set; } = 6000;
}

/// <summary>
/// Uploaded pictures checked by their content, never their name: the format comes from the file's first bytes (JPEG,
/// PNG or WebP), must be what the upload says it is, and must decode; resized versions are WebP.
/// </summary>
public static class ImageRules
{
    public const string Jpeg = "image/jpeg";
    public const string Png = "image/png";
    public const string WebP = "image/webp";

    /// <summary>The widths served (a request is rounded up to the next), so a cache holds few renditions of each picture.</summary>
    public static readonly int[] Widths = [160, 320, 480, 640, 960, 1280, 1920];

    /// <summary>The format the bytes are, by their magic numbers; null for anything else.</summary>
    public static string? Sniff(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xFF, 0xD8, 0xFF, ..] => Jpeg,
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => Png,
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => WebP,
        _ => null,
    };

    /// <summary>The type a file's name or declared content type claims, or null when it claims none we know.</summary>
    public static string? Claimed(string? declaredType, string? fileName)
    {
        var declared = declaredType?.Split(';')[0].Trim().ToLowerInvariant();
        if (declared is Jpeg or "image/jpg" or "image/pjpeg")
        {
            return Jpeg;
        }

        if (declared is Png or WebP)
        {
            return declared;
        }

        return Path.GetExtension(fileName ?? "").ToLowerInvariant() switch
        {
            ".jpg" or ".jpeg" => Jpeg,
            ".png" => Png,
            ".webp" => WebP,
            _ => null,
        };
    }

    /// <summary>The picture's size when it decodes as the format sniffed; null when it does not (a broken or disguised file).</summary>
    public static (int Width, int Height)? Measure(byte[] bytes)
    {
        using var codec = SKCodec.Create(new MemoryStream(bytes));
        return codec is null ? null : (codec.Info.Width, codec.Info.Height);
    }

    public static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>The served width for a requested one: the next of <see cref="Widths"/>, never wider than the picture.</summary>
    public static int ServedWidth(int requested, int original) => Math.Min(original, Widths.FirstOrDefault(width => width >= requested, Widths[^1]));

    /// <summary>The picture scaled to <paramref name="width"/> (aspect kept), as WebP.</summary>
    public static byte[] Resize(byte[] original, int width)
    {
        using var bitmap = SKBitmap.Decode(original) ?? throw new InvalidDataException("The stored picture does not decode.");
        var height = Math.Max(1, (int)Math.Round(bitmap.Height * (double)width / bitmap.Width));
        using var resized = bitmap.Resize(new SKImageInfo(width, height), new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var image = SKImage.FromBitmap(resized);
        using var data = image.Encode(SKEncodedImageFormat.Webp, 80);
        return data.ToArray();
    }
}
