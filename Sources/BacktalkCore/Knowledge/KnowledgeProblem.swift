/// One defect in the knowledge base, located so an author can fix it.
public struct KnowledgeProblem: Hashable, Sendable, CustomStringConvertible {
  /// The file, relative to the knowledge folder (`treatments-a.yaml`).
  public var file: String
  /// The 1-based line, when known.
  public var line: Int?
  /// What is wrong and how to fix it.
  public var message: String

  /// Creates a problem report.
  public init(file: String, line: Int? = nil, message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  /// `file:line: message`, the format editors and CI logs link.
  public var description: String {
    if let line { return "\(file):\(line): \(message)" }
    return "\(file): \(message)"
  }
}
