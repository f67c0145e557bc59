namespace LeadScoring.Grains.Interfaces;

/// <summary>
/// References to string-keyed grains on the hot paths (a lead per request, a drift aggregator per rescore).
/// Orleans 10's <c>GetGrain&lt;T&gt;(key)</c> resolves the interface's <see cref="GrainInterfaceType"/> anew on every
/// call, by reading the interface's custom attributes and formatting its type name, a visible share of the CPU
/// of both the API and the silo under load (docs/performance.md, "Grain references on hot paths"). Here the grain type and interface type are resolved once
/// per interface, by Orleans itself, and every later reference is built from them; the reference is the same one
/// <c>GetGrain&lt;T&gt;(key)</c> returns.
/// </summary>
public static class GrainReferences
{
    public static ILeadGrain GetLead(this IGrainFactory grains, string workspace, string leadId) =>
        grains.GetGrainOfResolvedType<ILeadGrain>(WorkspaceKey.Format(workspace, leadId));

    public static TGrain GetGrainOfResolvedType<TGrain>(this IGrainFactory grains, string key) where TGrain : IGrainWithStringKey =>
        ResolvedTypes<TGrain>.Reference(grains, key);

    private static class ResolvedTypes<TGrain> where TGrain : IGrainWithStringKey
    {
        // A pure function of the interface and the loaded grain classes, so one per process serves every client
        // and silo in it; a class so that threads see all of it or nothing.
        private static GrainTypes? _types;

        public static TGrain Reference(IGrainFactory grains, string key)
        {
            if (_types is { } types)
            {
                return (TGrain)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
            }

            var reference = grains.GetGrain<TGrain>(key);
            var resolved = (GrainReference)(object)reference;
            _types = new GrainTypes(resolved.GrainId.Type, resolved.InterfaceType);
            return reference;
        }
    }

    private sealed record GrainTypes(GrainType Grain, GrainInterfaceType Interface);
}
