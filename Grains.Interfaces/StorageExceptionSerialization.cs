using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace LeadScoring.Grains.Interfaces;

public static class StorageExceptionSerialization
{
    /// <summary>
    /// Lets Npgsql's exceptions cross between silos and clients as themselves. Orleans' grain storage reads a
    /// grain's state while activating it, before any call filter can translate a failure, and Orleans serializes
    /// only exceptions of the namespaces it knows: a database outage then reached the API as
    /// CodecNotFoundException, a 500, instead of an outage, a 503. Silos and clients both call this.
    /// </summary>
    public static IServiceCollection AddStorageExceptionSerialization(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(options => options.SupportedNamespacePrefixes.Add("Npgsql"));
}
