import Foundation

/// The chat page's files (HTML, CSS, JavaScript, icon), read once at start-up.
///
/// They ship as the package resource `Page/` of this target. The folder is found next to the
/// executable (where SwiftPM puts `backtalk_BacktalkWeb.resources`), in `../share/backtalk/Page`
/// for an installed copy, or in the source tree for a development build, without SwiftPM's
/// `Bundle.module`, which stops the program when the bundle is missing instead of saying so.
public struct PageAssets: Sendable {
  /// One file served as it is.
  public struct Asset: Sendable {
    /// The bytes.
    public var body: Data
    /// The `Content-Type`.
    public var contentType: String
  }

  /// Files by URL path (`/`, `/app.js`...).
  public private(set) var files: [String: Asset]

  /// The files the page is made of, by URL path, with their file names and types.
  static let manifest: [(path: String, file: String, type: String)] = [
    ("/", "index.html", "text/html; charset=utf-8"),
    ("/app.css", "app.css", "text/css; charset=utf-8"),
    ("/app.js", "app.js", "text/javascript; charset=utf-8"),
    ("/icon.svg", "icon.svg", "image/svg+xml"),
  ]

  /// Reads the page from `directory`.
  ///
  /// - Throws: ``WebServerError/pageMissing(_:)`` naming the first file that cannot be read.
  public init(directory: URL) throws(WebServerError) {
    var files: [String: Asset] = [:]
    for entry in Self.manifest {
      let url = directory.appendingPathComponent(entry.file)
      guard let data = FileManager.default.contents(atPath: url.path) else {
        throw .pageMissing(url.path)
      }
      files[entry.path] = Asset(body: data, contentType: entry.type)
    }
    self.files = files
  }

  /// The page with `{{NAME}}` placeholders of its HTML replaced (the region's emergency number,
  /// which the page shows before any reply has named it).
  public func filling(_ values: [String: String]) -> PageAssets {
    var filled = self
    guard var page = files["/"], var html = String(data: page.body, encoding: .utf8) else {
      return self
    }
    for (name, value) in values {
      html = html.replacingOccurrences(of: "{{\(name)}}", with: Self.escapingHTML(value))
    }
    page.body = Data(html.utf8)
    filled.files["/"] = page
    return filled
  }

  /// The text with the characters that mean something in HTML escaped.
  static func escapingHTML(_ text: String) -> String {
    var escaped = ""
    for c in text {
      switch c {
      case "&": escaped += "&amp;"
      case "<": escaped += "&lt;"
      case ">": escaped += "&gt;"
      case "\"": escaped += "&quot;"
      case "'": escaped += "&#39;"
      default: escaped.append(c)
      }
    }
    return escaped
  }

  /// The page folder shipped with the program.
  ///
  /// - Parameter executable: the running binary (`/proc/self/exe`).
  /// - Returns: the page read from the first folder that has it.
  /// - Throws: ``WebServerError/pageMissing(_:)`` when no candidate folder exists.
  public static func bundled(executable: URL?) throws(WebServerError) -> PageAssets {
    var candidates: [URL] = []
    if let executable {
      let dir = executable.resolvingSymlinksInPath().deletingLastPathComponent()
      candidates.append(
        dir.appendingPathComponent("backtalk_BacktalkWeb.resources").appendingPathComponent("Page"))
      candidates.append(
        dir.deletingLastPathComponent().appendingPathComponent("share/backtalk/Page"))
    }
    // Development fallback: this file lives at Sources/BacktalkWeb/.
    candidates.append(
      URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Page"))
    for candidate in candidates
    where FileManager.default.fileExists(
      atPath: candidate.appendingPathComponent("index.html").path)
    {
      return try PageAssets(directory: candidate)
    }
    throw .pageMissing(candidates.map(\.path).joined(separator: " or "))
  }
}
