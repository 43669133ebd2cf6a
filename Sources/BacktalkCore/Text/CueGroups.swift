/// Several named lists of phrase patterns answered in one pass over a message.
///
/// The emergency detector asks eight yes/no questions of every sentence (is it a question, a
/// conditional, someone else's past...). Asking each list separately hashed every token eight
/// times; one ``PatternSet`` over all the lists gathers the candidates once and tells which
/// lists matched.
struct CueGroups: Sendable {
  private let set: PatternSet
  private let group: [Int]

  /// Indexes the lists; a list's position is its group number in ``matching(_:)``.
  init(_ lists: [[PhrasePattern]]) {
    var patterns: [PhrasePattern] = []
    var group: [Int] = []
    for (g, list) in lists.enumerated() {
      patterns += list
      group += Array(repeating: g, count: list.count)
    }
    set = PatternSet(patterns)
    self.group = group
  }

  /// One more than the highest group number.
  var groupCount: Int { (group.max() ?? -1) + 1 }

  /// For each group, whether any of its patterns matches `tokens`.
  func matching(_ tokens: [String], groups: Int) -> [Bool] {
    var found = [Bool](repeating: false, count: groups)
    for candidate in set.candidates(in: tokens) where !found[group[candidate]] {
      if set.patterns[candidate].match(anywhereIn: tokens) { found[group[candidate]] = true }
    }
    return found
  }

  /// Writes the patterns and their groups.
  func write(to w: inout SnapshotWriter) {
    set.write(to: &w)
    w.raw(group.map(Int32.init))
  }

  /// Reads groups written by ``write(to:)``.
  init(snapshot r: inout SnapshotReader) throws(SnapshotError) {
    set = try PatternSet(snapshot: &r)
    group = try r.raw(Int32.self).map(Int.init)
    guard group.count == set.patterns.count, group.allSatisfy({ $0 >= 0 }) else {
      throw .corrupt("cue groups that do not match their patterns")
    }
  }
}
