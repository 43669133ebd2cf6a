/// Why a start-up snapshot could not be read; the caller then rebuilds from the knowledge base.
public enum SnapshotError: Error, Equatable, CustomStringConvertible {
  /// The bytes end before the value does.
  case truncated(at: Int)
  /// A value is impossible (a count larger than the file, an unknown tag).
  case corrupt(String)
  /// Written by another version of backtalk or for other knowledge.
  case stale

  /// A message saying what happened and that nothing is lost.
  public var description: String {
    switch self {
    case .truncated(let offset):
      return "the compiled-model cache ends early (byte \(offset)); it will be rebuilt"
    case .corrupt(let what):
      return "the compiled-model cache is damaged (\(what)); it will be rebuilt"
    case .stale:
      return "the compiled-model cache belongs to another version; it will be rebuilt"
    }
  }
}
