/// Where `serve` keeps sessions outside its own memory, so that they survive a restart and can
/// be shared by several processes (`--sessions sqlite:PATH`, `--sessions postgres://...`).
///
/// The core defines what it needs and imports no database: the stores live in the
/// `BacktalkStores` target. Calls are synchronous (the service answers lines in order on one
/// thread, and a reply may not be written before its session is saved). Saving is
/// compare-and-set on a revision: a process that answered from a stale copy (another process
/// answered the session meanwhile) finds its save refused, reads the session again and answers
/// again, so two processes sharing a session never lose each other's turns.
public protocol PersistentSessionStore: AnyObject, Sendable {
  /// The store's kind as `hello` reports it: `sqlite` or `postgres`.
  var kind: String { get }

  /// The session `id` as stored, or nil when there is none.
  func load(_ id: String) throws(SessionStoreError) -> StoredSession?

  /// Saves a session's snapshot (``SessionSnapshot/encoded()``) if its stored revision is still
  /// `revision` (nil: only if no row exists), with the escalations this turn raised, in one
  /// transaction.
  ///
  /// - Returns: the new revision, or nil when the stored row changed first (nothing written).
  func save(
    _ id: String, snapshot: [UInt8], replacing revision: Int64?, escalations: [EscalationEntry]
  ) throws(SessionStoreError) -> Int64?

  /// Forgets a session (`end`); its recorded escalations stay.
  func delete(_ id: String) throws(SessionStoreError)

  /// Recorded escalations, newest first, at most `limit`.
  func escalations(limit: Int) throws(SessionStoreError) -> [EscalationEntry]

  /// Deletes sessions idle for longer than `idle`; returns how many.
  @discardableResult
  func purge(idleLongerThan idle: Duration) throws(SessionStoreError) -> Int
}
