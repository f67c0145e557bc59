namespace LeadScoring.Modeling.Statistics;

/// <summary>
/// The distribution functions the experiment and drift statistics need, from the regularized incomplete gamma
/// and beta functions (series and continued-fraction evaluation, accurate to about 1e-12 in the ranges used).
/// </summary>
public static class Distributions
{
    private const double Epsilon = 1e-15;
    private const int MaxIterations = 10_000;
    private const double Tiny = 1e-300;

    /// <summary>P(Z ≤ z) for a standard normal Z.</summary>
    public static double NormalCdf(double z) =>
        z >= 0 ? 0.5 + 0.5 * RegularizedGammaP(0.5, z * z / 2) : 0.5 - 0.5 * RegularizedGammaP(0.5, z * z / 2);

    /// <summary>The z with NormalCdf(z) = p, by bisection then Newton steps on <see cref="NormalCdf"/>.</summary>
    public static double NormalQuantile(double p)
    {
        if (p is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "must be strictly between 0 and 1");
        }

        double low = -40, high = 40;
        for (var i = 0; i < 60; i++)
        {
            var mid = (low + high) / 2;
            if (NormalCdf(mid) < p)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        var z = (low + high) / 2;
        for (var i = 0; i < 3; i++)
        {
            var density = Math.Exp(-z * z / 2) / Math.Sqrt(2 * Math.PI);
            if (density < 1e-300)
            {
                break;
            }

            z -= (NormalCdf(z) - p) / density;
        }

        return z;
    }

    /// <summary>P(X ≥ x) for X chi-square distributed with <paramref name="degreesOfFreedom"/>.</summary>
    public static double ChiSquareSurvival(double x, double degreesOfFreedom) =>
        x <= 0 ? 1 : 1 - RegularizedGammaP(degreesOfFreedom / 2, x / 2);

    /// <summary>P(|T| ≥ |t|) for T Student-t distributed with <paramref name="degreesOfFreedom"/> (two-sided p-value).</summary>
    public static double StudentTTwoSided(double t, double degreesOfFreedom) =>
        RegularizedBeta(degreesOfFreedom / (degreesOfFreedom + t * t), degreesOfFreedom / 2, 0.5);

    /// <summary>P(a, x) = γ(a, x) / Γ(a).</summary>
    public static double RegularizedGammaP(double a, double x)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x < a + 1)
        {
            // Series: γ(a,x) = e^-x x^a Σ x^n / (a (a+1) ... (a+n)).
            double term = 1 / a, sum = term;
            for (var n = 1; n < MaxIterations && Math.Abs(term) > Math.Abs(sum) * Epsilon; n++)
            {
                term *= x / (a + n);
                sum += term;
            }

            return sum * Math.Exp(-x + a * Math.Log(x) - LogGamma(a));
        }

        // Continued fraction for Γ(a,x) (modified Lentz).
        double b = x + 1 - a, c = 1 / Tiny, d = 1 / b, h = d;
        for (var i = 1; i < MaxIterations; i++)
        {
            b += 2;
            var delta = LentzStep(-i * (i - a), b, ref c, ref d);
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                break;
            }
        }

        return 1 - Math.Exp(-x + a * Math.Log(x) - LogGamma(a)) * h;
    }

    /// <summary>I_x(a, b), the regularized incomplete beta function.</summary>
    public static double RegularizedBeta(double x, double a, double b)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x));
        // The continued fraction converges fast for x < (a+1)/(a+b+2); otherwise use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a).
        return x < (a + 1) / (a + b + 2)
            ? front * BetaContinuedFraction(x, a, b) / a
            : 1 - front * BetaContinuedFraction(1 - x, b, a) / b;
    }

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos approximation, g = 7, nine terms).</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            // Reflection: Γ(x) Γ(1-x) = π / sin(πx).
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        ReadOnlySpan<double> coefficients =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        x -= 1;
        var sum = coefficients[0];
        for (var i = 1; i < coefficients.Length; i++)
        {
            sum += coefficients[i] / (x + i);
        }

        var t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    private static double BetaContinuedFraction(double x, double a, double b)
    {
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
        var h = d;
        for (var m = 1; m < MaxIterations; m++)
        {
            var m2 = 2 * m;
            h *= LentzStep(m * (b - m) * x / ((a + m2 - 1) * (a + m2)), 1, ref c, ref d);
            var delta = LentzStep(-(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1)), 1, ref c, ref d);
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                break;
            }
        }

        return h;
    }

    /// <summary>One step of the modified Lentz method for a continued fraction term an / (bn + ...); returns the factor for the running value.</summary>
    private static double LentzStep(double an, double bn, ref double c, ref double d)
    {
        d = an * d + bn;
        d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
        c = bn + an / c;
        c = Math.Abs(c) < Tiny ? Tiny : c;
        return c * d;
    }
}
