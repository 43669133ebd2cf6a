/// Why a session store could not be opened or used, said so that an operator can act on it.
public enum SessionStoreError: Error, Equatable, Sendable, CustomStringConvertible {
  /// `--sessions` is not a store this build knows how to open.
  case invalidURL(String, reason: String)
  /// The store's kind is valid but not compiled into this build.
  case notInThisBuild(String, how: String)
  /// The database could not be opened or reached.
  case unreachable(String)
  /// A statement failed.
  case failed(String)

  /// The message for the person running the command.
  public var description: String {
    switch self {
    case .invalidURL(let url, let reason):
      return
        "invalid --sessions '\(url)': \(reason); use sqlite:PATH or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE"
    case .notInThisBuild(let kind, let how): return "this build has no \(kind) store: \(how)"
    case .unreachable(let reason): return "cannot open the session store: \(reason)"
    case .failed(let reason): return "the session store failed: \(reason)"
    }
  }
}
