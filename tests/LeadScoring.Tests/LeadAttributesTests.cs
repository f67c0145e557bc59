using LeadScoring.Grains.Interfaces;
using LeadScoring.Grains.Leads;
using LeadScoring.Modeling.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace LeadScoring.Tests;

[Trait("Category", "Unit")]
public class LeadAttributesTests
{
    [Fact]
    public void Answers_as_a_dictionary_does_through_random_sets_and_removes()
    {
        var random = new Random(7);
        var attributes = new LeadAttributes();
        var expected = new Dictionary<string, LeadAttributeValue>(StringComparer.Ordinal);
        // Names that differ by case and by prefix, so that ordinal order and the search boundaries are exercised.
        string[] names = ["a", "A", "ab", "b", "B_1", "b_1", "industry", "Industry", "z", "zz", "m.n", "m-n", "0", "9x"];

        for (var step = 0; step < 2_000; step++)
        {
            var name = names[random.Next(names.Length)];
            if (random.Next(3) == 0)
            {
                Assert.Equal(expected.Remove(name), attributes.Remove(name));
            }
            else
            {
                var value = LeadAttributeValue.OfNumber(step);
                attributes.Set(name, value);
                expected[name] = value;
            }

            Assert.Equal(expected.Count, attributes.Count);
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), attributes.Keys);
            foreach (var probe in names)
            {
                Assert.Equal(expected.TryGetValue(probe, out var want), attributes.TryGetValue(probe, out var got));
                Assert.Same(want, got);
                Assert.Equal(expected.ContainsKey(probe), attributes.ContainsKey(probe));
            }
        }
    }

    [Fact]
    public void Reading_a_missing_attribute_by_index_names_it()
    {
        var attributes = new LeadAttributes([new("industry", LeadAttributeValue.OfText("software"))]);

        Assert.Equal("software", attributes["industry"].Text);
        Assert.Contains("'region'", Assert.Throws<KeyNotFoundException>(() => attributes["region"]).Message);
    }

    [Fact]
    public void Round_trips_through_the_orleans_serializer_that_stores_lead_state()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var state = new LeadState
        {
            Exists = true,
            Attributes = new LeadAttributes([
                new("industry", LeadAttributeValue.OfText("software")),
                new("company_size", LeadAttributeValue.OfNumber(120)),
                new("partner", LeadAttributeValue.OfBoolean(true)),
            ]),
        };

        var read = serializer.Deserialize<LeadState>(serializer.SerializeToArray(state));

        Assert.Equal(state.Attributes.ToList(), read!.Attributes.ToList());
        Assert.Null(read.Aggregates);
    }
}
