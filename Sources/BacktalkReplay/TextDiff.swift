/// A unified-style line diff of expected against actual text, for failure reports.
public enum TextDiff {
  /// `-` lines are expected only, `+` lines actual only, ` ` lines shared.
  public static func unified(expected: String, actual: String) -> String {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var lcs = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in stride(from: a.count - 1, through: 0, by: -1) {
      for j in stride(from: b.count - 1, through: 0, by: -1) {
        lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
      }
    }
    var out = ["--- expected", "+++ actual"]
    var i = 0
    var j = 0
    while i < a.count || j < b.count {
      if i < a.count, j < b.count, a[i] == b[j] {
        out.append("  " + a[i])
        i += 1
        j += 1
      } else if i < a.count, j == b.count || lcs[i + 1][j] >= lcs[i][j + 1] {
        // Removals before additions, as in `diff -u`: a changed line reads old, then new.
        out.append("- " + a[i])
        i += 1
      } else {
        out.append("+ " + b[j])
        j += 1
      }
    }
    return out.joined(separator: "\n")
  }
}
