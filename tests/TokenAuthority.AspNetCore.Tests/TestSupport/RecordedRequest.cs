namespace TokenAuthority.AspNetCore.Tests.TestSupport;

public sealed record RecordedRequest(string Method, string PathAndQuery, string? ContentType, string UserAgent);
