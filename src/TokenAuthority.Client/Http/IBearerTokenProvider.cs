namespace TokenAuthority.Client;

/// <summary>What the handler needs from a token source or a token file.</summary>
internal interface IBearerTokenProvider
{
    ValueTask<string> GetTokenAsync(CancellationToken cancellationToken);

    ValueTask<string> RefreshTokenAsync(string rejectedToken, CancellationToken cancellationToken);
}
