using System.Net.Http.Headers;
using SkiaSharp;

namespace Ticketing.Catalog.Tests;

/// <summary>Operators upload pictures; the Catalog checks what the bytes are and serves resized, cacheable versions.</summary>
public sealed class Pictures(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    private static byte[] Picture(SKEncodedImageFormat format, int width = 400, int height = 300)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.MediumPurple);
            using var paint = new SKPaint { Color = SKColors.White };
            canvas.DrawCircle(width / 2f, height / 2f, height / 3f, paint);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }

    private static MultipartFormDataContent Form(byte[] bytes, string fileName, string contentType, string? variant = null)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var form = new MultipartFormDataContent { { file, "file", fileName } };
        if (variant is not null)
        {
            form.Add(new StringContent(variant), "variant");
        }

        return form;
    }

    private async Task<Guid> AlbumAsync() =>
        (await catalog.Client.CreatedAsync("/api/catalog/products", Merch_drops.Album([5, 5]))).GetProperty("id").GetGuid();

    [Fact]
    public async Task A_version_picture_is_stored_and_served_resized_with_caching_headers()
    {
        var album = await AlbumAsync();

        using var uploaded = await catalog.Client.PostAsync($"/api/catalog/products/{album}/images", Form(Picture(SKEncodedImageFormat.Png), "cover-b.png", "image/png", "b"));

        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var image = await uploaded.ReadJsonAsync<JsonElement>();
        Assert.Equal("image/png", image.GetProperty("contentType").GetString());
        var product = await catalog.Client.GetJsonAsync($"/api/catalog/products/{album}");
        var listed = Assert.Single(product.GetProperty("images").EnumerateArray());
        Assert.Equal("B", listed.GetProperty("variant").GetString());

        using var anyone = catalog.Anonymous();
        using var original = await anyone.GetAsync(listed.GetProperty("url").GetString());
        Assert.Equal("image/png", original.Content.Headers.ContentType!.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", original.Headers.CacheControl!.ToString());

        using var small = await anyone.GetAsync($"{listed.GetProperty("url").GetString()}?width=150");
        Assert.Equal("image/webp", small.Content.Headers.ContentType!.MediaType);
        using (var decoded = SKBitmap.Decode(await small.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal((160, 120), (decoded.Width, decoded.Height));
        }

        using var again = new HttpRequestMessage(HttpMethod.Get, $"{listed.GetProperty("url").GetString()}?width=150");
        again.Headers.IfNoneMatch.Add(small.Headers.ETag!);
        using var notModified = await anyone.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    /// <summary>Uploads that are not the picture they claim to be, each with the <c>reason</c> its refusal gives.</summary>
    public static TheoryData<string, Func<MultipartFormDataContent>, string> FalsePictures => new()
    {
        { "a JPEG named and typed as PNG", () => Form(Picture(SKEncodedImageFormat.Jpeg), "cover.png", "image/png"), "content_type_mismatch" },
        { "a script named and typed as JPEG", () => Form("<script>alert(1)</script>"u8.ToArray(), "cover.jpg", "image/jpeg"), "unsupported_image" },
        { "a PNG cut off after 40 bytes", () => Form(Picture(SKEncodedImageFormat.Png)[..40], "cover.png", "image/png"), "unreadable_image" },
        { "a PNG header before 5 MiB of zeros", () => Form([.. Picture(SKEncodedImageFormat.Png)[..8], .. new byte[5 * 1024 * 1024]], "huge.png", "image/png"), "file_too_large" },
    };

    [Theory]
    [MemberData(nameof(FalsePictures))]
    public async Task A_file_that_is_not_the_picture_it_claims_is_refused(string upload, Func<MultipartFormDataContent> form, string reason)
    {
        var album = await AlbumAsync();
        using var content = form();

        using var response = await catalog.Client.PostAsync($"/api/catalog/products/{album}/images", content);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{upload}: {(int)response.StatusCode}");
        var problem = await response.ReadJsonAsync<JsonElement>();
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        Assert.Empty((await catalog.Client.GetJsonAsync($"/api/catalog/products/{album}")).GetProperty("images").EnumerateArray());
    }

    [Fact]
    public async Task Uploads_need_an_operator_a_form_and_a_known_owner_and_version()
    {
        var album = await AlbumAsync();
        var webp = Picture(SKEncodedImageFormat.Webp);
        using var fan = catalog.Fan("fan-with-a-camera");

        using var asFan = await fan.PostAsync($"/api/catalog/products/{album}/images", Form(webp, "a.webp", "image/webp"));
        using var notAForm = await catalog.Client.PostAsJsonAsync($"/api/catalog/products/{album}/images", new { file = "x" });
        using var unknownProduct = await catalog.Client.PostAsync($"/api/catalog/products/{Guid.NewGuid()}/images", Form(webp, "a.webp", "image/webp"));
        using var unknownVersion = await catalog.Client.PostAsync($"/api/catalog/products/{album}/images", Form(webp, "a.webp", "image/webp", "Z"));
        using var unknownImage = await fan.GetAsync($"/api/catalog/images/{Guid.NewGuid()}");
        using var badWidth = await fan.GetAsync($"/api/catalog/images/{Guid.NewGuid()}?width=0");

        Assert.Equal(HttpStatusCode.Forbidden, asFan.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notAForm.StatusCode);
        Assert.Equal("not_multipart", await ReasonAsync(notAForm));
        Assert.Equal(HttpStatusCode.NotFound, unknownProduct.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownVersion.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownImage.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badWidth.StatusCode);
    }

    [Fact]
    public async Task A_concert_has_pictures_too()
    {
        var concert = (await catalog.Client.CreatedAsync("/api/catalog/concerts", Requests.Concert())).GetProperty("id").GetGuid();

        using var uploaded = await catalog.Client.PostAsync($"/api/catalog/concerts/{concert}/images", Form(Picture(SKEncodedImageFormat.Jpeg), "stage.jpg", "image/jpeg"));

        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var listed = await catalog.Anonymous().GetFromJsonAsync<JsonElement>($"/api/catalog/concerts/{concert}/images");
        Assert.Equal((await uploaded.ReadJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), Assert.Single(listed.EnumerateArray()).GetProperty("id").GetGuid());
    }

    private static async Task<string?> ReasonAsync(HttpResponseMessage response) =>
        (await response.ReadJsonAsync<JsonElement>()).TryGetProperty("reason", out var reason) ? reason.GetString() : null;
}
