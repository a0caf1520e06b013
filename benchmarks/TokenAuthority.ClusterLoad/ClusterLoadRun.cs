using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TokenAuthority.Validation;

namespace TokenAuthority.ClusterLoad;

/// <summary>
/// The cluster load (issue #13), through the load balancer with many concurrent clients. <see cref="PrepareAsync"/>
/// creates the service account and its pods; then <see cref="IssueAndVerifyAsync"/> (each iteration a TokenRequest
/// bound to a pod, then a TokenReview of that token) and <see cref="WarmVerificationAsync"/> (TokenReviews of tokens
/// already reviewed, after <see cref="WarmUpAsync"/>). Every answer is checked: a review of a live pod's token must say
/// authenticated, as that service account and that pod.
/// </summary>
/// <remarks>
/// One <see cref="HttpClient"/> over a <see cref="SocketsHttpHandler"/> that trusts exactly the cluster's certificate.
/// HTTP/1.1 by default with a connection per client (<see cref="SocketsHttpHandler.MaxConnectionsPerServer"/> = clients),
/// so no client waits for another's connection; <see cref="ClusterLoadOptions.Http2"/> multiplexes them instead.
/// </remarks>
internal sealed class ClusterLoadRun : IDisposable
{
    /// <summary>The operation name of a TokenRequest.</summary>
    public const string TokenRequest = "TokenRequest";

    /// <summary>The operation name of a TokenReview.</summary>
    public const string TokenReview = "TokenReview";

    private const string PodNameExtra = "authentication.kubernetes.io/pod-name";
    private readonly ClusterLoadOptions _options;
    private readonly HttpClient _client;
    private readonly string[] _pods;
    private readonly string?[] _tokens;
    private readonly string _username;

    public ClusterLoadRun(ClusterLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Clients, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Pods, 1);
        _options = options;
        _pods = [.. Enumerable.Range(0, options.Pods).Select(i => string.Create(CultureInfo.InvariantCulture, $"{options.ServiceAccount}-{i}"))];
        _tokens = new string?[options.Pods];
        _username = $"system:serviceaccount:{options.Namespace}:{options.ServiceAccount}";

        var pinned = PinnedCertificateAuthority.FromPemFile(options.CertificateAuthorityFile);
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Clients,
            EnableMultipleHttp2Connections = true,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => pinned.Validate(certificate, chain, errors);
        _client = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = options.Balancer,
            Timeout = options.RequestTimeout,
            DefaultRequestVersion = options.Http2 ? HttpVersion.Version20 : HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.AdminToken);
    }

    /// <summary>The HTTP version the run speaks.</summary>
    public string HttpVersionName => _options.Http2 ? "HTTP/2" : $"HTTP/1.1 ({_options.Clients} connections)";

    /// <summary>Tokens issued so far (one per pod, the latest), the working set of the warm phase.</summary>
    public int TokenCount => _tokens.Count(t => t is not null);

    /// <summary>Creates the service account and its pods (each already there is fine: a run may be repeated on one cluster).</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken = default)
    {
        await CreateAsync($"/api/v1/namespaces/{_options.Namespace}/serviceaccounts", Metadata(_options.ServiceAccount), cancellationToken);
        await ForEachAsync(_pods.Length, i =>
        {
            var pod = Metadata(_pods[i]);
            pod["spec"] = new JsonObject { ["serviceAccountName"] = _options.ServiceAccount };
            return CreateAsync($"/api/v1/namespaces/{_options.Namespace}/pods", pod, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Issues one token per pod (no review): the working set for a warm phase without a first phase.</summary>
    public async Task<ClusterLoadPhaseResult> IssueTokensAsync(CancellationToken cancellationToken = default)
    {
        var recorder = new ClusterLoadRecorder("issue");
        await ForEachAsync(_pods.Length, async i => _tokens[i] = await RequestTokenAsync(recorder, i, cancellationToken), cancellationToken);
        return recorder.Finish();
    }

    /// <summary>Phase (a): for <paramref name="duration"/>, each client requests a token bound to the next pod and reviews it.</summary>
    public Task<ClusterLoadPhaseResult> IssueAndVerifyAsync(TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var next = -1;
        return RunPhaseAsync("issue+verify", duration, async recorder =>
        {
            var pod = (int)((uint)Interlocked.Increment(ref next) % (uint)_pods.Length);
            var token = await RequestTokenAsync(recorder, pod, cancellationToken);
            if (token is not null && await ReviewAsync(recorder, null, token, pod, cancellationToken))
            {
                Volatile.Write(ref _tokens[pod], token);
            }
        }, cancellationToken);
    }

    /// <summary>
    /// Reviews every token of the working set once on each of <paramref name="servers"/> (the replicas' own URLs, so
    /// that every replica has every token and its objects cached; the balancer alone when none are given).
    /// </summary>
    public async Task<ClusterLoadPhaseResult> WarmUpAsync(IReadOnlyList<Uri> servers, CancellationToken cancellationToken = default)
    {
        var tokens = WorkingSet();
        Uri?[] targets = servers.Count == 0 ? [null] : [.. servers];
        var recorder = new ClusterLoadRecorder("warm-up");
        await ForEachAsync(tokens.Length * targets.Length, i =>
        {
            var (pod, token) = tokens[i % tokens.Length];
            return ReviewAsync(recorder, targets[i / tokens.Length], token, pod, cancellationToken);
        }, cancellationToken);
        return recorder.Finish();
    }

    /// <summary>Phase (b): for <paramref name="duration"/>, each client reviews the working set's tokens in turn, nothing else.</summary>
    public Task<ClusterLoadPhaseResult> WarmVerificationAsync(TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var tokens = WorkingSet();
        var next = -1;
        return RunPhaseAsync("warm-verify", duration, async recorder =>
        {
            var (pod, token) = tokens[(int)((uint)Interlocked.Increment(ref next) % (uint)tokens.Length)];
            await ReviewAsync(recorder, null, token, pod, cancellationToken);
        }, cancellationToken);
    }

    public void Dispose() => _client.Dispose();

    private (int Pod, string Token)[] WorkingSet()
    {
        var set = _tokens.Select((token, pod) => (pod, token)).Where(p => p.token is not null).Select(p => (p.pod, p.token!)).ToArray();
        return set.Length > 0 ? set : throw new InvalidOperationException("No token was issued and reviewed yet: run the issue+verify phase (or IssueTokensAsync) first.");
    }

    private async Task<ClusterLoadPhaseResult> RunPhaseAsync(string name, TimeSpan duration, Func<ClusterLoadRecorder, Task> iteration, CancellationToken cancellationToken)
    {
        var recorder = new ClusterLoadRecorder(name);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, _options.Clients).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
            {
                await iteration(recorder);
            }
        }, cancellationToken)));
        return recorder.Finish();
    }

    // Runs work(0..count-1) on as many clients as the run has.
    private async Task ForEachAsync(int count, Func<int, Task> work, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = _options.Clients, CancellationToken = cancellationToken },
            async (i, _) => await work(i));

    private static JsonObject Metadata(string name) => new() { ["metadata"] = new JsonObject { ["name"] = name } };

    private async Task CreateAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {Describe(await ReadAsync(response, cancellationToken))}");
        }
    }

    private async Task<string?> RequestTokenAsync(ClusterLoadRecorder recorder, int pod, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["kind"] = "TokenRequest",
            ["spec"] = new JsonObject
            {
                ["audiences"] = new JsonArray(_options.Audience),
                ["boundObjectRef"] = new JsonObject { ["kind"] = "Pod", ["apiVersion"] = "v1", ["name"] = _pods[pod] },
            },
        }.ToJsonString();
        var (status, answer) = await SendAsync(recorder, TokenRequest, null, $"/api/v1/namespaces/{_options.Namespace}/serviceaccounts/{_options.ServiceAccount}/token", body, cancellationToken);
        if (status is null)
        {
            return null;
        }

        if (status != HttpStatusCode.Created)
        {
            recorder.Error($"{TokenRequest} for pod {_pods[pod]} answered {(int)status}: {Describe(answer)}");
            return null;
        }

        var token = answer?["status"]?["token"]?.GetValue<string>();
        if (string.IsNullOrEmpty(token))
        {
            recorder.WrongAnswer($"{TokenRequest} for pod {_pods[pod]} answered 201 without a token");
            return null;
        }

        return token;
    }

    // Whether the review said exactly what it should: authenticated, as the service account, bound to the pod.
    private async Task<bool> ReviewAsync(ClusterLoadRecorder recorder, Uri? server, string token, int pod, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["kind"] = "TokenReview",
            ["spec"] = new JsonObject { ["token"] = token, ["audiences"] = new JsonArray(_options.Audience) },
        }.ToJsonString();
        var (status, answer) = await SendAsync(recorder, TokenReview, server, "/apis/authentication.k8s.io/v1/tokenreviews", body, cancellationToken);
        if (status is null)
        {
            return false;
        }

        var where = server is null ? string.Empty : $" on {server.GetLeftPart(UriPartial.Authority)}";
        if (status != HttpStatusCode.Created)
        {
            recorder.Error($"{TokenReview}{where} of pod {_pods[pod]}'s token answered {(int)status}: {Describe(answer)}");
            return false;
        }

        var review = answer?["status"];
        var authenticated = review?["authenticated"] is JsonValue value && value.TryGetValue<bool>(out var yes) && yes;
        var username = review?["user"]?["username"] is JsonValue name && name.TryGetValue<string>(out var n) ? n : null;
        var pods = review?["user"]?["extra"]?[PodNameExtra] as JsonArray;
        var boundPod = pods is [JsonValue only] && only.TryGetValue<string>(out var p) ? p : null;
        if (!authenticated || username != _username || boundPod != _pods[pod])
        {
            var error = review?["error"] is JsonValue e && e.TryGetValue<string>(out var text) ? text : null;
            recorder.WrongAnswer(
                $"{TokenReview}{where} of live pod {_pods[pod]}'s token: authenticated={authenticated}, user={username ?? "(none)"}, pod={boundPod ?? "(none)"}, error={error ?? "(none)"}");
            return false;
        }

        return true;
    }

    // Sends one request and records its latency; null status: no answer (recorded as an error here).
    private async Task<(HttpStatusCode? Status, JsonNode? Body)> SendAsync(
        ClusterLoadRecorder recorder, string operation, Uri? server, string path, string json, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, server is null ? new Uri(path, UriKind.Relative) : new Uri(server, path))
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"),
            };
            using var response = await _client.SendAsync(request, cancellationToken);
            var body = await ReadAsync(response, cancellationToken);
            recorder.Latency(operation, Stopwatch.GetElapsedTime(started));
            return (response.StatusCode, body);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            recorder.Latency(operation, Stopwatch.GetElapsedTime(started));
            recorder.Error($"{operation} got no answer: {ex.GetType().Name}: {ex.Message}");
            return (null, null);
        }
    }

    private static async Task<JsonNode?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text.Length > 200 ? text[..200] : text);
        }
    }

    // A failure's Status message (never a token: only answers that carry none are described).
    private static string Describe(JsonNode? body) =>
        body?["message"] is JsonValue message && message.TryGetValue<string>(out var text) ? text : body?.ToJsonString() ?? "(no body)";
}
