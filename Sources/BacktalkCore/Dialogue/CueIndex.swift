/// Several ordered cue lists read in one pass: which is the first list with a phrase in the
/// message.
///
/// "Which facet does this ask for?" and "which follow-up after an escalation is this?" run on
/// most messages and each tried a dozen lists one after the other, a lookup per word per list.
/// One index over all of them looks each word up once, and the answer is the same: the lowest
/// list whose phrase matches.
struct CueIndex: Sendable {
  private let patterns: PatternSet
  /// The list each pattern came from.
  private let labels: [Int]

  /// Indexes `lists`, in order (a list's position is its label).
  init(_ lists: [PatternSet]) {
    var all: [PhrasePattern] = []
    var labels: [Int] = []
    for (label, list) in lists.enumerated() {
      all += list.patterns
      labels += Array(repeating: label, count: list.patterns.count)
    }
    patterns = PatternSet(all)
    self.labels = labels
  }

  /// The positions of every list with a phrase in `tokens`, ascending.
  func matchingLists(in tokens: [String]) -> [Int] {
    var found: [Int] = []
    for i in patterns.candidates(in: tokens) where !found.contains(labels[i]) {
      if patterns.patterns[i].match(anywhereIn: tokens) { found.append(labels[i]) }
    }
    return found.sorted()
  }

  /// The position of the first list with a phrase in `tokens`, if any.
  func firstList(in tokens: [String]) -> Int? {
    var best: Int?
    for i in patterns.candidates(in: tokens) where best.map({ labels[i] < $0 }) ?? true {
      if patterns.patterns[i].match(anywhereIn: tokens) { best = labels[i] }
    }
    return best
  }
}
