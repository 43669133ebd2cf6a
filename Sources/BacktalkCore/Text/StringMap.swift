/// A fixed dictionary keyed by strings, looked up with one FNV hash over the key's bytes.
///
/// For the small maps read for every token of every message (pronoun folds, number words,
/// duration units): `Dictionary` hashes each key with SipHash, several times the cost, and these
/// lookups add up to a few percent of a reply.
struct StringMap<Value: Sendable>: Sendable {
  private let keys: StringTable
  private let values: [Value]

  /// The map of `dictionary`.
  init(_ dictionary: [String: Value]) {
    let sorted = dictionary.keys.sorted()
    keys = StringTable(sorted)
    values = sorted.compactMap { dictionary[$0] }
  }

  /// The value for `key`, if any.
  subscript(key: String) -> Value? {
    keys.id(of: key).map { values[Int($0)] }
  }

  /// The map as a dictionary again (for writing snapshots).
  var dictionary: [String: Value] {
    var out: [String: Value] = [:]
    for (i, value) in values.enumerated() { out[keys[Int32(i)]] = value }
    return out
  }
}
