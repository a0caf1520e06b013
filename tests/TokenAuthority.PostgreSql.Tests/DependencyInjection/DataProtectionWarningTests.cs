using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TokenAuthority.Keys.Ring;
using TokenAuthority.PostgreSql.Tests.TestSupport;

namespace TokenAuthority.PostgreSql.Tests.DependencyInjection;

public sealed class DataProtectionWarningTests
{
    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void DataProtectionKeysInTheirDefaultPlaceAreWarnedAbout(bool persisted, bool warned)
    {
        var keys = Directory.CreateTempSubdirectory("ta-dp-");
        try
        {
            var logs = new RecordingLoggerProvider();
            var services = new ServiceCollection();
            services.AddLogging(b => b.AddProvider(logs));
            services.AddTokenAuthority(o => o.Issuer = "https://authority.test").AddPostgreSql("Host=127.0.0.1;Database=unused");
            if (persisted)
            {
                services.AddDataProtection().PersistKeysToFileSystem(keys);
            }

            using var provider = services.BuildServiceProvider();
            _ = provider.GetRequiredService<IKeyRingStore>();
            Assert.Equal(warned, logs.Entries.Any(e => e.Id.Id == 7006));
        }
        finally
        {
            keys.Delete(true);
        }
    }
}
