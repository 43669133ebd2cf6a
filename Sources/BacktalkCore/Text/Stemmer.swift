/// A light suffix stripper that makes "stretches", "stretching" and "stretched" one feature.
///
/// Deliberately simpler than Porter: the matcher only needs examples and messages to land on
/// the same form, and aggressive stemming merges words that patients keep apart ("posture",
/// "post"). The same function runs on examples, concepts and messages, so consistency is all
/// that matters. It works on the word's UTF-8 bytes in place and allocates only the result,
/// because it runs on every word of every message and of every example at start-up.
public enum Stemmer {
  /// The stem of one lowercase word.
  public static func stem(_ word: String) -> String {
    var word = word
    return word.withUTF8 { u -> String in
      let n = u.count
      guard n > 3, u.allSatisfy({ $0 >= 97 && $0 <= 122 }) else {
        return String(decoding: u, as: UTF8.self)
      }
      func ends(_ s: StaticString) -> Bool {
        let k = s.utf8CodeUnitCount
        guard n > k else { return false }
        let t = s.utf8Start
        for i in 0..<k where u[n - k + i] != t[i] { return false }
        return true
      }
      func cut(_ k: Int, undoubling: Bool = false, append: UInt8? = nil) -> String {
        var end = n - k
        if undoubling, end > 2, u[end - 1] == u[end - 2], !isUndoubleExempt(u[end - 1]) {
          end -= 1
        }
        var bytes = Array(u[..<end])
        if let append { bytes.append(append) }
        return String(decoding: bytes, as: UTF8.self)
      }
      if ends("ies") && n > 4 { return cut(3, append: 121) }
      if ends("sses") { return cut(2) }
      if ends("ches") || ends("shes") || ends("xes") || ends("zes") { return cut(2) }
      if ends("ss") || ends("us") || ends("is") { return String(decoding: u, as: UTF8.self) }
      if ends("s") { return cut(1) }
      if ends("ing") && n > 5 { return cut(3, undoubling: true) }
      if ends("in") && n > 5 && !isVowelOrY(u[n - 3]) {
        // Dropped g, as people type: "heatin", "stretchin".
        return cut(2, undoubling: true)
      }
      if ends("ed") && n > 4 { return cut(2, undoubling: true) }
      return String(decoding: u, as: UTF8.self)
    }
  }

  @inline(__always)
  private static func isVowelOrY(_ c: UInt8) -> Bool {
    c == 97 || c == 101 || c == 105 || c == 111 || c == 117 || c == 121
  }

  /// Letters whose doubling is kept ("falling" -> "fall", "pressing" -> "press").
  @inline(__always)
  private static func isUndoubleExempt(_ c: UInt8) -> Bool {
    c == 97 || c == 101 || c == 105 || c == 111 || c == 117 || c == 108 || c == 115 || c == 122
  }
}
