using System.Collections;
using System.Diagnostics.CodeAnalysis;
using LeadScoring.Grains.Interfaces;
using LeadScoring.Modeling.Scoring;

namespace LeadScoring.Grains.Leads;

/// <summary>
/// A lead's attributes as one array of name-value pairs sorted by name (ordinal), looked up by binary search.
/// A dictionary takes about three times the memory (its object, buckets and entries with spare room;
/// docs/performance.md, "Memory per lead"), and every active lead holds one. At most
/// <see cref="LeadLimits.MaxAttributes"/> entries keeps the insert's array copy and the lookup's search short.
/// </summary>
[GenerateSerializer, Alias("LeadScoring.LeadAttributes")]
public sealed class LeadAttributes : IReadOnlyDictionary<string, LeadAttributeValue>
{
    [Id(0)] private KeyValuePair<string, LeadAttributeValue>[] _byName = [];

    public LeadAttributes()
    {
    }

    public LeadAttributes(IEnumerable<KeyValuePair<string, LeadAttributeValue>> attributes)
    {
        foreach (var (name, value) in attributes)
        {
            Set(name, value);
        }
    }

    public int Count => _byName.Length;

    public LeadAttributeValue this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no attribute '{key}'");

    public IEnumerable<string> Keys => _byName.Select(a => a.Key);

    public IEnumerable<LeadAttributeValue> Values => _byName.Select(a => a.Value);

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out LeadAttributeValue value)
    {
        var at = IndexOf(key);
        value = at >= 0 ? _byName[at].Value : null;
        return at >= 0;
    }

    /// <summary>Adds the attribute or replaces its value.</summary>
    public void Set(string name, LeadAttributeValue value)
    {
        var at = IndexOf(name);
        if (at >= 0)
        {
            _byName[at] = new(_byName[at].Key, value);
            return;
        }

        at = ~at;
        var grown = new KeyValuePair<string, LeadAttributeValue>[_byName.Length + 1];
        Array.Copy(_byName, grown, at);
        grown[at] = new(name, value);
        Array.Copy(_byName, at, grown, at + 1, _byName.Length - at);
        _byName = grown;
    }

    /// <summary>True when the lead had the attribute.</summary>
    public bool Remove(string name)
    {
        var at = IndexOf(name);
        if (at < 0)
        {
            return false;
        }

        var shrunk = new KeyValuePair<string, LeadAttributeValue>[_byName.Length - 1];
        Array.Copy(_byName, shrunk, at);
        Array.Copy(_byName, at + 1, shrunk, at, shrunk.Length - at);
        _byName = shrunk;
        return true;
    }

    /// <summary>Replaces every name and value by the silo's shared instance of it (see <see cref="SharedValues"/>).</summary>
    public void ShareValues()
    {
        for (var i = 0; i < _byName.Length; i++)
        {
            _byName[i] = new(SharedValues.Text(_byName[i].Key), SharedValues.Attribute(_byName[i].Value));
        }
    }

    public IEnumerator<KeyValuePair<string, LeadAttributeValue>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, LeadAttributeValue>>)_byName).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The index of the name, or the bitwise complement of where it would go.</summary>
    private int IndexOf(string name)
    {
        int low = 0, high = _byName.Length - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var order = string.CompareOrdinal(_byName[middle].Key, name);
            if (order == 0)
            {
                return middle;
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return ~low;
    }
}
