namespace TokenAuthority.AspNetCore.Tests.Http.Support;

public sealed record RecordedRequest(string Method, string PathAndQuery, string? ContentType, string UserAgent);
