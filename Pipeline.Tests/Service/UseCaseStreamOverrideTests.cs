using Pipeline.Core.Configuration;
using Pipeline.Service.Run;

namespace Pipeline.Tests.Service;

/// <summary>One use case's own <c>stream</c> block overrides the shared stream settings for it alone.</summary>
public sealed class UseCaseStreamOverrideTests
{
    private static RunSettings With(params string[] sets) => RunSettings.Create(PipelineConfig.Load(null, sets, new Dictionary<string, string>()));

    [Fact]
    public void A_use_case_block_overrides_the_shared_settings_key_by_key()
    {
        var settings = With(
            "pipeline.use-cases.large-purchase.stream.ask-parallelism=256",
            "pipeline.dispatchers.heavy.type=ForkJoinDispatcher",
            "pipeline.dispatchers.heavy.dedicated-thread-pool.thread-count=2",
            "pipeline.use-cases.large-purchase.stream.dispatcher=pipeline.dispatchers.heavy");

        var largePurchase = settings.UseCaseStreamsFor("large-purchase");
        Assert.Equal(256, largePurchase.AskParallelism);
        Assert.Equal("pipeline.dispatchers.heavy", largePurchase.Dispatcher);
        Assert.Equal(settings.UseCaseStreams.AskTimeout, largePurchase.AskTimeout);
        Assert.Equal(64, settings.UseCaseStreamsFor("unusual-tip").AskParallelism);
        Assert.Equal("", settings.UseCaseStreamsFor("unusual-tip").Dispatcher);
    }

    [Fact]
    public void A_dispatcher_that_is_not_defined_is_refused_naming_the_key()
    {
        var error = Assert.Throws<ConfigurationError>(() => With("pipeline.use-cases.unusual-tip.stream.dispatcher=nowhere"));
        Assert.Contains("'pipeline.use-cases.unusual-tip.stream.dispatcher' = 'nowhere' names no dispatcher", error.Message);
    }
}
