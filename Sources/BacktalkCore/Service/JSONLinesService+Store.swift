extension JSONLinesService {
  /// How often a request is answered again when another process saved its session first.
  static let storeAttempts = 8

  /// What a request with a store found of its session.
  private struct Found {
    /// The session to answer in (a fresh one when there was none).
    var session: ServiceSession
    /// What the reply says about it.
    var status: SessionStatus
    /// The stored revision to replace, nil when no row exists.
    var revision: Int64?
    /// A stored session that could not be read, said in the reply's warnings.
    var warning: String?
  }

  /// Answers `message`, `reset` and `end` through the store: write-through, so that the reply
  /// goes out only once its session is saved, and a kill loses at most the request in flight.
  ///
  /// The in-memory copy is a cache: it answers at once, and the save (compare-and-set on the
  /// revision) tells whether it was current. When another process answered the session since,
  /// the save is refused, the session is read back and the request answered again: answering
  /// is a pure function of the state and the message, so nothing was said twice.
  mutating func answer(
    _ request: WireRequest, prepared: PreparedMessage?, region: Int?,
    store: any PersistentSessionStore, now: ContinuousClock.Instant
  ) -> [UInt8] {
    var useCache = true
    for _ in 0..<Self.storeAttempts {
      do throws(SessionStoreError) {
        let found = try find(
          request.session, region: region, store: store, useCache: useCache, now: now)
        var warnings = request.warnings
        if let warning = found.warning { warnings.append(warning) }
        var session = found.session
        let reply: Reply
        switch request.type {
        case .end:
          try store.delete(request.session)
          sessions.remove(request.session)
          return WireReply.encodedBytes(
            notice("Conversation closed. Take care of your back."), id: request.id,
            session: request.session, status: found.status, closed: true, warnings: warnings)
        case .reset:
          session = ServiceSession(region: region ?? session.region)
          reply = notice("Okay, I've forgotten this conversation. We can start fresh.")
        default:
          if found.status != .new, let region, region != session.region {
            warnings.append(
              "'region' is set when a session starts or is reset; this session keeps '\(regionCodes[session.region])'"
            )
          }
          let message = prepared ?? assistant.prepare(request.text ?? "")
          reply = assistants[session.region].respond(
            to: message, state: &session.dialogue, includeTrace: request.trace)
        }
        let raised = session.dialogue.escalations.dropFirst(
          found.session.dialogue.escalations.count
        ).map {
          EscalationEntry(session: request.session, category: $0.category, turn: $0.turn)
        }
        let snapshot = SessionSnapshot(
          region: regionCodes[session.region], dialogue: session.dialogue)
        guard
          let revision = try store.save(
            request.session, snapshot: snapshot.encoded(), replacing: found.revision,
            escalations: request.type == .reset ? [] : raised)
        else {
          // Another process saved this session first: read it again and answer again.
          sessions.remove(request.session)
          useCache = false
          continue
        }
        session.revision = revision
        sessions.set(request.session, to: session, now: now)
        return WireReply.encodedBytes(
          reply, id: request.id, session: request.session, status: found.status,
          closed: request.type == .reset ? false : nil, warnings: warnings)
      } catch {
        // The cached copy may be ahead of the store now; the next request reads the store.
        sessions.remove(request.session)
        return Self.storeFailure(request, error.description)
      }
    }
    sessions.remove(request.session)
    return Self.storeFailure(
      request,
      "the session kept changing in the store (other processes answering it at the same time)")
  }

  /// The session `key`: this process's live copy, else the store's, else a new one.
  private mutating func find(
    _ key: String, region: Int?, store: any PersistentSessionStore, useCache: Bool,
    now: ContinuousClock.Instant
  ) throws(SessionStoreError) -> Found {
    if useCache, let cached = sessions.existing(key, now: now) {
      return Found(session: cached, status: .continued, revision: cached.revision)
    }
    let fresh = ServiceSession(region: region ?? defaultRegion)
    guard let stored = try store.load(key) else {
      return Found(session: fresh, status: .new, revision: nil)
    }
    if stored.idle > limits.sessionTTL {
      return Found(session: fresh, status: .new, revision: stored.revision)
    }
    do {
      let snapshot = try SessionSnapshot(decoding: stored.snapshot)
      var session = ServiceSession(
        region: regionCodes.firstIndex(of: snapshot.region) ?? region ?? defaultRegion)
      session.dialogue = snapshot.dialogue
      session.revision = stored.revision
      return Found(session: session, status: .restored, revision: stored.revision)
    } catch {
      return Found(
        session: fresh, status: .new, revision: stored.revision,
        warning: "\(error.description); this is a new conversation")
    }
  }

  private static func storeFailure(_ request: WireRequest, _ reason: String) -> [UInt8] {
    RequestReader.errorLine(
      id: request.id, session: .string(request.session),
      ServiceError(
        .storeUnavailable,
        "\(reason); the request was not answered and its session is unchanged: send it again"))
  }
}
