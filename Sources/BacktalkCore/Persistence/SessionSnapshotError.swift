/// Why a stored session could not be read back.
///
/// The service answers such a session as a new one (and says so in `warnings`) rather than
/// stopping: one damaged row must not take down the conversations of everyone else.
public enum SessionSnapshotError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The stored bytes are not JSON.
  case notJSON(String)
  /// The stored session was written by a newer build, in a format this one does not know.
  case unsupportedVersion(Int)
  /// A field is missing or has the wrong type or value.
  case invalidField(String)

  /// What went wrong, for a log or a warning.
  public var description: String {
    switch self {
    case .notJSON(let reason): return "the stored session is not JSON (\(reason))"
    case .unsupportedVersion(let v):
      return
        "the stored session has format version \(v); this build reads up to \(SessionSnapshot.version)"
    case .invalidField(let field): return "the stored session has an invalid '\(field)'"
    }
  }
}
