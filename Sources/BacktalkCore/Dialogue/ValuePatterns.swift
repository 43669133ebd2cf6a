/// Phrase patterns that each stand for a value (a slot word, a number of days, a severity),
/// indexed as a ``PatternSet`` so a message only tries the few that share a word with it.
struct ValuePatterns<Value: Sendable>: Sendable {
  let set: PatternSet
  let values: [Value]

  init(_ list: [(value: Value, pattern: PhrasePattern)]) {
    set = PatternSet(list.map(\.pattern))
    values = list.map(\.value)
  }

  /// Every match, with its pattern's value.
  func matches(in tokens: [String]) -> [(value: Value, range: Range<Int>)] {
    set.matches(in: tokens).map { (values[$0.pattern], $0.range) }
  }

  /// The value of the first pattern (in the given order) found in `tokens` whose first match
  /// `accept` takes.
  func first(in tokens: [String], where accept: (Value, Range<Int>) -> Bool = { _, _ in true })
    -> (value: Value, range: Range<Int>)?
  {
    for i in set.candidates(in: tokens) {
      if let range = set.patterns[i].matches(in: tokens).first, accept(values[i], range) {
        return (values[i], range)
      }
    }
    return nil
  }

  /// Reads patterns written by ``PatternSet/write(to:)`` followed by their values.
  init(
    snapshot r: inout SnapshotReader,
    values read: (inout SnapshotReader) throws(SnapshotError) -> [Value]
  )
    throws(SnapshotError)
  {
    set = try PatternSet(snapshot: &r)
    values = try read(&r)
    guard values.count == set.patterns.count else { throw .corrupt("slot value patterns") }
  }
}

extension ValuePatterns where Value == String {
  func write(to w: inout SnapshotWriter) {
    set.write(to: &w)
    w.strings(values)
  }

  init(snapshot r: inout SnapshotReader) throws(SnapshotError) {
    try self.init(snapshot: &r) { r throws(SnapshotError) in try r.strings() }
  }
}

extension ValuePatterns where Value == Int {
  func write(to w: inout SnapshotWriter) {
    set.write(to: &w)
    w.raw(values)
  }

  init(snapshot r: inout SnapshotReader) throws(SnapshotError) {
    try self.init(snapshot: &r) { r throws(SnapshotError) in try r.raw(Int.self) }
  }
}
