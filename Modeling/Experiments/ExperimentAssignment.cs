using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using LeadScoring.Grains.Interfaces;

namespace LeadScoring.Modeling.Experiments;

/// <summary>
/// Which variant a lead sees: a pure function of experiment id and lead id (SHA-256 of both, read as a point
/// in [0, 1) and placed on the variants' cumulative shares). The same on every silo, after every restart, and
/// for as long as the experiment runs, with no state to share; string.GetHashCode would differ per process.
/// </summary>
public static class ExperimentAssignment
{
    public static ExperimentVariant VariantOf(ExperimentDefinition experiment, string leadId)
    {
        var point = PointOf(experiment.ExperimentId, leadId);
        var cumulative = 0.0;
        foreach (var variant in experiment.Variants)
        {
            cumulative += variant.Share;
            if (point < cumulative)
            {
                return variant;
            }
        }

        // Shares summing to 1 - 1e-12 leave a sliver at the top: it belongs to the last variant.
        return experiment.Variants[^1];
    }

    /// <summary>Uniform in [0, 1): the first 53 bits of SHA-256("{experiment}\n{lead}").</summary>
    public static double PointOf(string experimentId, string leadId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{experimentId}\n{leadId}"), hash);
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
    }
}
