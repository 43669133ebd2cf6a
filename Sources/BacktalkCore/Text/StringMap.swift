/// A fixed dictionary keyed by strings: a ``StringTable`` of the keys and their values in the
/// same order.
///
/// For the maps read for every token of every message (pattern anchors, concept stems, pronoun
/// folds, number words, duration units): `Dictionary` hashes each key with SipHash, several
/// times the cost of the table's lookup, and these lookups add up to a few percent of a reply.
struct StringMap<Value: Sendable>: Sendable {
  private let keys: StringTable
  private let values: [Value]

  /// The map of `dictionary`.
  init(_ dictionary: [String: Value]) {
    let sorted = dictionary.keys.sorted()
    keys = StringTable(sorted)
    values = sorted.compactMap { dictionary[$0] }
  }

  /// How many keys there are.
  var count: Int { values.count }

  /// The value for `key`, if any.
  subscript(key: String) -> Value? {
    keys.id(of: key).map { values[Int($0)] }
  }

  /// The value for the key with these UTF-8 bytes, if any.
  subscript(bytes bytes: UnsafeBufferPointer<UInt8>) -> Value? {
    keys.id(of: bytes).map { values[Int($0)] }
  }

  /// The map as a dictionary again (for writing snapshots).
  var dictionary: [String: Value] {
    var out: [String: Value] = [:]
    for (i, value) in values.enumerated() { out[keys[Int32(i)]] = value }
    return out
  }

  /// Writes the key table, then the values with `value`.
  func write(to w: inout SnapshotWriter, value: (inout SnapshotWriter, Value) -> Void) {
    keys.write(to: &w)
    w.array(values, value)
  }

  /// Reads a map written by ``write(to:value:)``.
  init(
    snapshot r: inout SnapshotReader,
    value: (inout SnapshotReader) throws(SnapshotError) -> Value
  ) throws(SnapshotError) {
    keys = try StringTable(snapshot: &r)
    values = try r.array(value)
    guard values.count == keys.count else { throw .corrupt("a string map") }
  }
}
