using System.Globalization;
using TokenAuthority.Model;

namespace TokenAuthority.Client.Tests.TestSupport;

/// <summary>An authority in memory: counts TokenRequests, issues "token-N" for the requested lifetime, can refuse or hold requests.</summary>
internal sealed class FakeRequester(TimeProvider time) : ITokenRequester
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public string Uid { get; set; } = "uid-1";

    /// <summary>When set, requests fail with this Status (the authority's answer).</summary>
    public Status? Refuse { get; set; }

    /// <summary>When set, requests wait for it.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>When true, the answer carries no expiration timestamp.</summary>
    public bool NoExpiration { get; set; }

    public async ValueTask<TokenRequest> RequestTokenAsync(string namespaceName, string name, TokenRequestSpec spec, CancellationToken cancellationToken = default)
    {
        var n = Interlocked.Increment(ref _calls);
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        if (Refuse is { } status)
        {
            throw new TokenRequestException(namespaceName, name, status);
        }
        var seconds = spec.ExpirationSeconds ?? 3600;
        return new TokenRequest
        {
            Metadata = new ObjectMeta { Name = name, Namespace = namespaceName, Uid = Uid },
            Spec = spec with { ExpirationSeconds = seconds },
            Status = new TokenRequestStatus
            {
                Token = string.Create(CultureInfo.InvariantCulture, $"token-{n}"),
                ExpirationTimestamp = NoExpiration ? null : time.GetUtcNow() + TimeSpan.FromSeconds(seconds),
            },
        };
    }
}
