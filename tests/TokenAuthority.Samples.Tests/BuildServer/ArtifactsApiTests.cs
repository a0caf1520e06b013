using TokenAuthority.Samples.Tests.TestSupport;

namespace TokenAuthority.Samples.Tests.BuildServer;

/// <summary>The artifacts API's own rules, against one BuildServer process: which names it takes, how large, how it serves them.</summary>
public sealed class ArtifactsApiTests(BuildServerFixture fixture) : IClassFixture<BuildServerFixture>
{
    private const int MaxBytes = 1024 * 1024;

    [Theory]
    [InlineData("build.log")]
    [InlineData("app-1.0.0.tar.gz")]
    [InlineData("Report_2")]
    [InlineData("x")]
    public async Task A_name_of_letters_digits_dots_dashes_and_underscores_is_stored(string name)
    {
        var answer = await fixture.Server.PutArtifactAsync(fixture.Job, name, fixture.Token, "content of " + name);
        Assert.True(answer.Status is 201 or 200, answer.ToString());
        Assert.Equal(name, answer.Json["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]   // routing decodes %2F inside a segment: "../../etc/passwd"
    [InlineData("%2E%2E%2Fsecret")]          // "../secret"
    [InlineData("a%5Cb")]                    // a backslash
    [InlineData("a..b")]
    [InlineData(".hidden")]
    [InlineData("-rf")]
    [InlineData("a%0A")]                     // a trailing newline, which a regex's $ would let through
    [InlineData("a%20b")]
    [InlineData("caf%C3%A9")]                // not ASCII
    public async Task Any_other_name_is_refused_with_400_and_the_rule(string encodedName)
    {
        var answer = await fixture.Server.PutArtifactAsync(fixture.Job, encodedName, fixture.Token, "x");
        Assert.Equal(400, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.StartsWith("an artifact name must be 1 to 128 letters", answer.Json["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(400, (await fixture.Server.SendAsync(HttpMethod.Get, $"/artifacts/{fixture.Job}/{encodedName}", fixture.Token)).Status);
    }

    [Fact]
    public async Task A_name_of_128_characters_is_stored_and_one_of_129_refused()
    {
        Assert.Equal(201, (await fixture.Server.PutArtifactAsync(fixture.Job, new string('n', 128), fixture.Token, "x")).Status);
        Assert.Equal(400, (await fixture.Server.PutArtifactAsync(fixture.Job, new string('n', 129), fixture.Token, "x")).Status);
    }

    [Fact]
    public async Task An_artifact_of_1_MiB_is_stored_and_one_byte_more_is_refused_with_413()
    {
        var path = $"/artifacts/{fixture.Job}/limit.bin";
        var stored = await fixture.Server.SendAsync(HttpMethod.Put, path, fixture.Token, new byte[MaxBytes]);
        Assert.True(stored.Status is 201 or 200, stored.ToString());
        Assert.Equal(MaxBytes, stored.Json["size"]!.GetValue<long>());

        var refused = await fixture.Server.SendAsync(HttpMethod.Put, $"/artifacts/{fixture.Job}/too-large.bin", fixture.Token, new byte[MaxBytes + 1]);
        Assert.Equal(413, refused.Status);
        Assert.Equal("an artifact may have at most 1048576 bytes", refused.Json["detail"]!.GetValue<string>());
        Assert.Equal(404, (await fixture.Server.SendAsync(HttpMethod.Get, $"/artifacts/{fixture.Job}/too-large.bin", fixture.Token)).Status);
    }

    [Fact]
    public async Task An_artifact_is_served_as_a_download_that_browsers_do_not_sniff_with_the_bytes_uploaded()
    {
        var html = "<script>alert(1)</script>";
        Assert.True((await fixture.Server.PutArtifactAsync(fixture.Job, "page.html", fixture.Token, html)).Status is 201 or 200);

        using var client = fixture.Server.Client(fixture.Token);
        using var response = await client.GetAsync($"/artifacts/{fixture.Job}/page.html");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(html, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Uploading_again_replaces_the_artifact_with_200()
    {
        Assert.Equal(201, (await fixture.Server.PutArtifactAsync(fixture.Job, "twice.txt", fixture.Token, "first")).Status);
        var replaced = await fixture.Server.PutArtifactAsync(fixture.Job, "twice.txt", fixture.Token, "second");
        Assert.Equal(200, replaced.Status);
        Assert.Equal("second", (await fixture.Server.SendAsync(HttpMethod.Get, $"/artifacts/{fixture.Job}/twice.txt", fixture.Token)).Body);
    }

    [Fact]
    public async Task Concurrent_uploads_are_all_stored()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            fixture.Server.PutArtifactAsync(fixture.Job, $"part-{i}.bin", fixture.Token, $"part {i}")));
        Assert.All(answers, a => Assert.True(a.Status == 201, a.ToString()));

        var list = await fixture.Server.SendAsync(HttpMethod.Get, $"/artifacts/{fixture.Job}", fixture.Token);
        var names = list.Json["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()).ToHashSet();
        Assert.All(Enumerable.Range(0, 16), i => Assert.Contains($"part-{i}.bin", names));
    }

    [Fact]
    public async Task A_missing_artifact_or_job_is_404_with_problem_details()
    {
        var missing = await fixture.Server.SendAsync(HttpMethod.Get, $"/artifacts/{fixture.Job}/nothing-here", fixture.Token);
        Assert.Equal(404, missing.Status);
        Assert.Equal("application/problem+json", missing.ContentType);
        Assert.Equal($"artifact \"{fixture.Job}/nothing-here\" not found", missing.Json["detail"]!.GetValue<string>());

        var noJob = await fixture.Server.SendAsync(HttpMethod.Get, "/jobs/job-999", fixture.Server.AdminToken);
        Assert.Equal(404, noJob.Status);
        Assert.Equal("job \"job-999\" not found", noJob.Json["detail"]!.GetValue<string>());
    }
}
