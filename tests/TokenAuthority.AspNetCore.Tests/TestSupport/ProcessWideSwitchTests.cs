namespace TokenAuthority.AspNetCore.Tests.TestSupport;

/// <summary>
/// Tests that set a process-wide <see cref="AppContext"/> switch while they build an app: they run alone, after the
/// parallel tests, so that no other test's app is built while the switch is on. Each sets it back when its app is built.
/// </summary>
[CollectionDefinition(nameof(ProcessWideSwitchTests), DisableParallelization = true)]
public sealed class ProcessWideSwitchTests;
