using LeadScoring.Modeling.Features;

// The lead state holds the feature engine's aggregates and recent activities: their codecs are generated here,
// so the modeling library itself needs no Orleans runtime.
[assembly: GenerateCodeForDeclaringAssembly(typeof(ActivityAggregates))]
