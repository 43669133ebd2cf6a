/// The program's and the protocol's versions, as `backtalk --version` and a `hello` reply
/// report them.
///
/// Two numbers because they move apart: the program changes with every release, the protocol
/// only when the wire changes. The protocol's minor version grows when fields, request types,
/// reply kinds or error codes are added (a client written for 1.0 still works); its major
/// version would grow only if something a client relies on were removed or changed meaning.
public enum BacktalkVersion {
  /// The release of the program.
  public static let program = "1.3.0"
  /// The version of the JSON Lines protocol `serve` speaks (`docs/PROTOCOL.md`).
  public static let wireProtocol = "1.3"
}
