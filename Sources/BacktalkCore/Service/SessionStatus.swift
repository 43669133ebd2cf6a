/// What a request found of its session, so a client can tell a continued conversation from one
/// the service no longer has.
///
/// Without a session store, sessions live in the memory of one `serve` process: a session idle
/// past the TTL, dropped because the store was full, ended, or held by a process that has since
/// restarted is gone, and the next message starts a new one. With a store (`--sessions`), a
/// session read back from it is `restored`. Saying so on every reply lets a front end notice
/// (it sent this session messages before and now reads `new`) instead of the person finding
/// out when the bot no longer remembers the intake they were in the middle of.
public enum SessionStatus: String, Sendable, CaseIterable {
  /// No live session had this key: this request started one (or, for `end`, found none).
  case new
  /// The request continued a live session of this process.
  case continued
  /// The session was read back from the persistent session store (`--sessions`): this process
  /// restarted, had dropped it from memory, or another process answered it last.
  case restored
}
