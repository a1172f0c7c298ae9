using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Ticketing.Catalog.Concerts;
using Ticketing.Catalog.Products;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Catalog.Pictures;

public sealed record ImageUploaded(Guid Id, string OwnerKind, Guid OwnerId, string? Variant, string ContentType, int Width, int Height, int Bytes, string Url);

public static class PicturesApi
{
    /// <summary>A picture never changes (a new one gets a new id), so it may be cached for a year.</summary>
    public const string ImmutableCaching = "public, max-age=31536000, immutable";

    public static IEndpointRouteBuilder MapPictures(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/catalog/images/{id:guid}", GetImage).WithTags("Pictures").WithName(nameof(GetImage))
            .WithSummary("A picture: as uploaded, or ?width= for a WebP that wide (rounded up to 160, 320, 480, 640, 960, 1280 or 1920), cached for a year.");
        routes.MapGet("/api/catalog/concerts/{id:guid}/images", ConcertImages).WithTags("Pictures").WithName(nameof(ConcertImages))
            .WithSummary("A concert's pictures.");
        routes.MapPost("/api/catalog/products/{id:guid}/images", UploadProductImage).RequireAuthorization(Policies.Operator).DisableAntiforgery()
            .WithTags("Pictures").WithName(nameof(UploadProductImage))
            .WithSummary("Upload a JPEG, PNG or WebP picture of a product (multipart/form-data: file, and variant for one version's).");
        routes.MapPost("/api/catalog/concerts/{id:guid}/images", UploadConcertImage).RequireAuthorization(Policies.Operator).DisableAntiforgery()
            .WithTags("Pictures").WithName(nameof(UploadConcertImage))
            .WithSummary("Upload a JPEG, PNG or WebP picture of a concert (multipart/form-data: file).");
        return routes;
    }

    public static async Task<IResult> UploadProductImage(
        Guid id, HttpRequest request, IDocumentSession session, IOptions<ImageOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (id == Guid.Empty || await session.LoadAsync<Product>(id, cancellationToken) is not { } product)
        {
            return NotFound("product", id);
        }

        var (upload, problem) = await ReadAsync(request, options.Value, cancellationToken);
        if (upload is null)
        {
            return problem!;
        }

        var variant = string.IsNullOrWhiteSpace(upload.Variant) ? null : upload.Variant.Trim().ToUpperInvariant();
        if (variant is not null && product.VariantNamed(variant) is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["variant"] = ["The product has no such variant."] });
        }

        var now = time.GetUtcNow();
        var image = upload.ToImage(ImageOwner.Product, id, variant, now);
        session.Insert(image);
        session.Events.Append(id, new ProductImageAdded(id, image.Id, variant, now));
        await session.SaveChangesAsync(cancellationToken);
        return Created(image);
    }

    public static async Task<IResult> UploadConcertImage(
        Guid id, HttpRequest request, IDocumentSession session, IOptions<ImageOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (id == Guid.Empty || await session.LoadAsync<Concert>(id, cancellationToken) is null)
        {
            return NotFound("concert", id);
        }

        var (upload, problem) = await ReadAsync(request, options.Value, cancellationToken);
        if (upload is null)
        {
            return problem!;
        }

        var image = upload.ToImage(ImageOwner.Concert, id, null, time.GetUtcNow());
        session.Insert(image);
        await session.SaveChangesAsync(cancellationToken);
        return Created(image);
    }

    public static async Task<IResult> ConcertImages(Guid id, IQuerySession session, CancellationToken cancellationToken)
    {
        var images = await session.Query<StoredImage>()
            .Where(image => image.OwnerId == id && image.OwnerKind == ImageOwner.Concert)
            .OrderBy(image => image.UploadedAt)
            .Select(image => image.Id)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(images.Select(imageId => ImageReference.For(imageId, null)).ToList());
    }

    public static async Task<IResult> GetImage(Guid id, int? width, HttpContext context, IQuerySession session, PictureCache cache, CancellationToken cancellationToken)
    {
        if (width is < 1 or > 4096)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["width"] = ["Between 1 and 4,096 pixels."] });
        }

        var rendition = await cache.Renditions.GetOrCreateAsync((nameof(PicturesApi), id, width), async entry =>
        {
            var image = id == Guid.Empty ? null : await session.LoadAsync<StoredImage>(id, cancellationToken);
            if (image is null)
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(1);
                entry.Size = 1;
                return null;
            }

            var rendition = width is { } wanted
                ? new Rendition(ImageRules.Resize(image.Bytes, ImageRules.ServedWidth(wanted, image.Width)), ImageRules.WebP, $"\"{image.Sha256[..32]}-w{ImageRules.ServedWidth(wanted, image.Width)}\"")
                : new Rendition(image.Bytes, image.ContentType, $"\"{image.Sha256[..32]}\"");
            entry.Size = rendition.Bytes.Length;
            entry.SlidingExpiration = TimeSpan.FromMinutes(10);
            return rendition;
        });
        if (rendition is null)
        {
            return NotFound("picture", id);
        }

        var headers = context.Response.Headers;
        headers.CacheControl = ImmutableCaching;
        headers.ETag = rendition.ETag;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        if (context.Request.Headers.IfNoneMatch.ToString() == rendition.ETag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.File(rendition.Bytes, rendition.ContentType);
    }

    internal sealed record Rendition(byte[] Bytes, string ContentType, string ETag);

    private sealed record Upload(byte[] Bytes, string ContentType, int Width, int Height, string? Variant)
    {
        public StoredImage ToImage(ImageOwner owner, Guid ownerId, string? variant, DateTimeOffset now) => new()
        {
            Id = Guid.CreateVersion7(),
            OwnerKind = owner,
            OwnerId = ownerId,
            Variant = variant,
            ContentType = ContentType,
            Width = Width,
            Height = Height,
            Bytes = Bytes,
            Sha256 = ImageRules.Hash(Bytes),
            UploadedAt = now,
        };
    }

    /// <summary>The upload's file, checked: a form with one file, within the size limit, whose bytes are the format it claims and decode.</summary>
    private static async Task<(Upload? Upload, IResult? Problem)> ReadAsync(HttpRequest request, ImageOptions options, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return (null, Invalid("file", "Send the picture as multipart/form-data with a file field named file.", "not_multipart"));
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or BadHttpRequestException)
        {
            return (null, Invalid("file", "The form could not be read.", "not_multipart"));
        }

        if (form.Files.GetFile("file") is not { } file)
        {
            return (null, Invalid("file", "Required: the picture, as a file field named file.", "file_missing"));
        }

        if (file.Length == 0 || file.Length > options.MaxBytes)
        {
            return (null, Invalid("file", $"A picture is 1 byte to {options.MaxBytes / (1024 * 1024)} MB.", "file_too_large"));
        }

        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken);
        }

        var actual = ImageRules.Sniff(bytes);
        if (actual is null)
        {
            return (null, Invalid("file", "Not a JPEG, PNG or WebP picture.", "unsupported_image"));
        }

        var claimed = ImageRules.Claimed(file.ContentType, file.FileName);
        if (claimed != actual)
        {
            return (null, Invalid("file", $"The file says it is {claimed ?? file.ContentType ?? "unknown"} but its content is {actual}.", "content_type_mismatch"));
        }

        if (ImageRules.Measure(bytes) is not { } size)
        {
            return (null, Invalid("file", "The picture does not decode.", "unreadable_image"));
        }

        if (size.Width > options.MaxDimension || size.Height > options.MaxDimension)
        {
            return (null, Invalid("file", $"At most {options.MaxDimension} pixels wide and high.", "image_too_large"));
        }

        return (new Upload(bytes, actual, size.Width, size.Height, form["variant"].FirstOrDefault()), null);
    }

    private static IResult Created(StoredImage image) => TypedResults.Created(
        $"/api/catalog/images/{image.Id}",
        new ImageUploaded(image.Id, image.OwnerKind == ImageOwner.Product ? "product" : "concert", image.OwnerId, image.Variant, image.ContentType,
            image.Width, image.Height, image.Bytes.Length, $"/api/catalog/images/{image.Id}"));

    private static IResult Invalid(string field, string message, string reason) => TypedResults.Problem(
        title: "The picture was not accepted",
        detail: message,
        statusCode: StatusCodes.Status400BadRequest,
        extensions: new Dictionary<string, object?> { ["reason"] = reason, ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });

    private static IResult NotFound(string what, Guid id) =>
        TypedResults.Problem(title: $"No such {what}", detail: $"There is no {what} {id}.", statusCode: StatusCodes.Status404NotFound);
}

/// <summary>The pictures' renditions in memory, at most 256 MB: resizing is the expensive part, and a drop page asks for the same few.</summary>
public sealed class PictureCache : IDisposable
{
    internal MemoryCache Renditions { get; } = new(new MemoryCacheOptions { SizeLimit = 256L * 1024 * 1024 });

    public void Dispose() => Renditions.Dispose();
}
