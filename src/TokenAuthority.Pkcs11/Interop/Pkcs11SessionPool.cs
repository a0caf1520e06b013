using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using TokenAuthority.Pkcs11.Diagnostics;

namespace TokenAuthority.Pkcs11.Interop;

/// <summary>
/// A few sessions on one token, each used by one operation at a time (PKCS#11 sessions are not thread-safe). At most
/// <c>maxSessions</c> operations run at once; the others wait asynchronously for a free session. A session whose
/// operation fails is closed, not reused.
/// </summary>
internal sealed class Pkcs11SessionPool : IDisposable
{
    private readonly ISlot _slot;
    private readonly SemaphoreSlim _gate;
    private readonly ConcurrentBag<ISession> _idle = [];
    private readonly ILogger _logger;
    private int _disposed;

    public Pkcs11SessionPool(ISlot slot, int maxSessions, ILogger logger)
    {
        _slot = slot;
        _gate = new SemaphoreSlim(maxSessions, maxSessions);
        _logger = logger;
    }

    /// <summary>Runs <paramref name="operation"/> on a free session; completes at once when one is free.</summary>
    public ValueTask<T> RunAsync<T>(Func<ISession, T> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_gate.Wait(0, CancellationToken.None))
        {
            try
            {
                return new ValueTask<T>(RunHeld(operation));
            }
            finally
            {
                _gate.Release();
            }
        }

        return WaitAndRunAsync(operation, cancellationToken);
    }

    /// <summary>Runs <paramref name="operation"/> on a free session, waiting in the calling thread (start-up only).</summary>
    public T Run<T>(Func<ISession, T> operation)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _gate.Wait();
        try
        {
            return RunHeld(operation);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        while (_idle.TryTake(out var session))
        {
            Close(session);
        }
    }

    private async ValueTask<T> WaitAndRunAsync<T>(Func<ISession, T> operation, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return RunHeld(operation);
        }
        finally
        {
            _gate.Release();
        }
    }

    private T RunHeld<T>(Func<ISession, T> operation)
    {
        var session = _idle.TryTake(out var idle) ? idle : _slot.OpenSession(SessionType.ReadOnly);
        T result;
        try
        {
            result = operation(session);
        }
        catch (Pkcs11Exception ex)
        {
            _logger.SessionDropped(ex.RV.ToString());
            Close(session);
            throw;
        }
        catch
        {
            Close(session);
            throw;
        }

        _idle.Add(session);
        if (Volatile.Read(ref _disposed) != 0 && _idle.TryTake(out var late))
        {
            Close(late);
        }

        return result;
    }

    private static void Close(ISession session)
    {
        try
        {
            session.Dispose();
        }
        catch (Pkcs11Exception)
        {
            // Already closed (the token went away, or the module was finalised): nothing is left to release.
        }
    }
}
