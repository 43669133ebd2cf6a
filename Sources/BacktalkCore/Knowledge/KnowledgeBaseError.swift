/// Why a knowledge base could not be loaded.
public enum KnowledgeBaseError: Error, Equatable, CustomStringConvertible {
  /// The folder could not be found or read.
  case unreadable(path: String, reason: String)
  /// The files were read but hold defects; every one is listed, not just the first.
  case invalid([KnowledgeProblem])

  /// A message a content author can act on.
  public var description: String {
    switch self {
    case .unreadable(let path, let reason):
      return "cannot read the knowledge base at \(path): \(reason). "
        + "Pass --knowledge DIR pointing at the Intents folder."
    case .invalid(let problems):
      return "the knowledge base has \(problems.count) problem(s):\n"
        + problems.map { "  \($0)" }.joined(separator: "\n")
    }
  }
}
