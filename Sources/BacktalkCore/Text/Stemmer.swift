/// A light suffix stripper that makes "stretches", "stretching" and "stretched" one feature.
///
/// Deliberately simpler than Porter: the matcher only needs examples and messages to land on
/// the same form, and aggressive stemming merges words that patients keep apart ("posture",
/// "post"). The same function runs on examples, concepts and messages, so consistency is all
/// that matters.
public enum Stemmer {
  /// The stem of one lowercase word.
  public static func stem(_ word: String) -> String {
    let u = Array(word.utf8)
    let n = u.count
    guard n > 3, u.allSatisfy({ $0 >= 97 && $0 <= 122 }) else { return word }
    func ends(_ s: String) -> Bool {
      let t = Array(s.utf8)
      return n > t.count && Array(u[(n - t.count)...]) == t
    }
    func cut(_ k: Int) -> [UInt8] { Array(u[..<(n - k)]) }
    var out: [UInt8]
    if ends("ies") && n > 4 {
      out = cut(3) + [121]
    } else if ends("sses") {
      out = cut(2)
    } else if ends("ches") || ends("shes") || ends("xes") || ends("zes") {
      out = cut(2)
    } else if ends("ss") || ends("us") || ends("is") {
      out = u
    } else if ends("s") {
      out = cut(1)
    } else if ends("ing") && n > 5 {
      out = undouble(cut(3))
    } else if ends("in") && n > 5 && !"aeiouy".utf8.contains(u[n - 3]) {
      // Dropped g, as people type: "heatin", "stretchin".
      out = undouble(cut(2))
    } else if ends("ed") && n > 4 {
      out = undouble(cut(2))
    } else {
      out = u
    }
    return String(decoding: out, as: UTF8.self)
  }

  private static func undouble(_ s: [UInt8]) -> [UInt8] {
    guard s.count > 2, let last = s.last, s[s.count - 2] == last,
      !"aeioulsz".utf8.contains(last)
    else { return s }
    return Array(s.dropLast())
  }
}
