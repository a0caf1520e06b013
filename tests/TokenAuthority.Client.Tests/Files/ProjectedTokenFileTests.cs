using Microsoft.Extensions.Time.Testing;

namespace TokenAuthority.Client.Tests;

public sealed class ProjectedTokenFileTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly string _path = Path.GetTempFileName();

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Sees_a_rewritten_file()
    {
        File.WriteAllText(_path, "token-a\n");
        File.SetLastWriteTimeUtc(_path, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var file = new ProjectedTokenFile(_path, _time);
        Assert.Equal("token-a", file.GetToken());

        // The kubelet rewrites the file (a new modification time); no time needs to pass on the clock.
        File.WriteAllText(_path, "token-b\n");
        File.SetLastWriteTimeUtc(_path, new DateTime(2026, 1, 1, 0, 48, 0, DateTimeKind.Utc));
        Assert.Equal("token-b", file.GetToken());
    }

    [Fact]
    public void Rereads_after_a_minute_even_when_the_time_stamp_is_unchanged()
    {
        var stamp = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.WriteAllText(_path, "token-a");
        File.SetLastWriteTimeUtc(_path, stamp);
        var file = new ProjectedTokenFile(_path, _time);
        Assert.Equal("token-a", file.GetToken());

        File.WriteAllText(_path, "token-b");
        File.SetLastWriteTimeUtc(_path, stamp);
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("token-a", file.GetToken());

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("token-b", file.GetToken());
    }

    [Fact]
    public void An_empty_file_is_an_error()
    {
        File.WriteAllText(_path, "  \n");
        var error = Assert.Throws<IOException>(() => new ProjectedTokenFile(_path, _time).GetToken());
        Assert.Contains(_path, error.Message, StringComparison.Ordinal);
    }
}
