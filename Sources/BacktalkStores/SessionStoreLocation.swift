import BacktalkCore

/// Where `--sessions` says to keep sessions, parsed and checked before anything is opened.
///
/// `memory` (the default: this process only), `sqlite:PATH` (a file; `sqlite:///abs/path`
/// also works) or `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]`
/// (`postgresql://` too). A bad value is an error that names the forms, never a guess.
public enum SessionStoreLocation: Equatable, Sendable {
  /// In this process's memory only.
  case memory
  /// An SQLite file.
  case sqlite(path: String)
  /// A PostgreSQL database.
  case postgres(PostgresLocation)

  /// Parses a `--sessions` value.
  ///
  /// - Throws: ``SessionStoreError/invalidURL(_:reason:)``.
  public init(parsing text: String) throws(SessionStoreError) {
    if text == "memory" {
      self = .memory
    } else if text.hasPrefix("sqlite:") {
      var path = String(text.dropFirst("sqlite:".count))
      if path.hasPrefix("//") { path.removeFirst(2) }
      guard !path.isEmpty else { throw .invalidURL(text, reason: "no file after 'sqlite:'") }
      self = .sqlite(path: path)
    } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
      self = .postgres(try PostgresLocation(parsing: text))
    } else {
      throw .invalidURL(text, reason: "unknown kind of store")
    }
  }

  /// Whether this build can open stores of this kind.
  public var isAvailable: Bool {
    switch self {
    case .memory, .sqlite: return true
    case .postgres: return PostgresLocation.isBuiltIn
    }
  }

  /// Opens the store (nil for `memory`), creating its tables when needed.
  ///
  /// - Throws: ``SessionStoreError`` when the kind is not in this build, or the database
  ///   cannot be opened or reached.
  public func open() throws(SessionStoreError) -> (any PersistentSessionStore)? {
    switch self {
    case .memory: return nil
    case .sqlite(let path): return try SQLiteSessionStore(path: path)
    case .postgres(let location): return try location.open()
    }
  }
}
