#if Postgres
  import BacktalkCore
  import Foundation
  import NIOCore
  import NIOPosix
  import NIOSSL
  import PostgresNIO

  /// Sessions in PostgreSQL (`--sessions postgres://...`): one store for several processes or
  /// machines, so a session's messages may go to any of them.
  ///
  /// Each save is one statement (compare-and-set on the revision, plus the turn's escalations
  /// in a data-modifying CTE), so it is one round trip and atomic; PostgreSQL's commit is
  /// durable (`fsync`) before the reply. Calls block the answering thread on a one-thread event
  /// loop: `serve` answers in order and may not write a reply before its save returns, so
  /// there is nothing to gain from async here.
  ///
  /// A final class: it owns the event loop and the connection. Every method takes the lock.
  public final class PostgresSessionStore: PersistentSessionStore, @unchecked Sendable {
    // Unchecked: `connection` is only read and replaced with `lock` held.
    private let lock = NSLock()
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let configuration: PostgresConnection.Configuration
    private let location: PostgresLocation
    private var connection: PostgresConnection?
    private let logger: Logger = {
      var logger = Logger(label: "backtalk.postgres")
      logger.logLevel = .critical
      return logger
    }()

    /// Connects and creates the tables when needed.
    ///
    /// - Throws: ``SessionStoreError/unreachable(_:)`` when the server cannot be reached or
    ///   refuses the login.
    public init(_ location: PostgresLocation) throws(SessionStoreError) {
      self.location = location
      let tls: PostgresConnection.Configuration.TLS
      do {
        switch location.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
      } catch {
        throw .unreachable("cannot set up TLS for \(location): \(error)")
      }
      var configuration = PostgresConnection.Configuration(
        host: location.host, port: location.port, username: location.user,
        password: location.password, database: location.database, tls: tls)
      configuration.options.connectTimeout = .seconds(5)
      self.configuration = configuration
      do throws(SessionStoreError) {
        let connection = try connected()
        for statement in Self.schema {
          _ = try run(connection, PostgresQuery(unsafeSQL: statement))
        }
      } catch {
        try? group.syncShutdownGracefully()
        throw error.opening(location)
      }
    }

    deinit {
      try? connection?.close().wait()
      try? group.syncShutdownGracefully()
    }

    /// The tables, created by the first process under an advisory lock (two processes
    /// starting at once would otherwise race on `CREATE TABLE IF NOT EXISTS`).
    static let schema = [
      "BEGIN",
      "SELECT pg_advisory_xact_lock(7216042)",
      """
      CREATE TABLE IF NOT EXISTS backtalk_sessions (
        id text PRIMARY KEY,
        revision bigint NOT NULL,
        updated_at timestamptz NOT NULL,
        state text NOT NULL)
      """,
      "CREATE INDEX IF NOT EXISTS backtalk_sessions_updated ON backtalk_sessions (updated_at)",
      """
      CREATE TABLE IF NOT EXISTS backtalk_escalations (
        seq bigserial PRIMARY KEY,
        session text NOT NULL,
        category text NOT NULL,
        turn integer NOT NULL,
        at timestamptz NOT NULL)
      """,
      "CREATE INDEX IF NOT EXISTS backtalk_escalations_at ON backtalk_escalations (at)",
      "COMMIT",
    ]

    /// `postgres`.
    public var kind: String { "postgres" }

    /// The session `id` as stored, or nil.
    public func load(_ id: String) throws(SessionStoreError) -> StoredSession? {
      let rows = try query(
        """
        SELECT revision, (extract(epoch FROM clock_timestamp() - updated_at) * 1000)::bigint, state
        FROM backtalk_sessions WHERE id = \(id)
        """, retrying: true)
      guard let row = rows.first else { return nil }
      do {
        let (revision, idle, state) = try row.decode((Int64, Int64, String).self)
        return StoredSession(
          revision: revision, snapshot: Array(state.utf8), idle: .milliseconds(max(0, idle)))
      } catch {
        throw .failed("unexpected row from backtalk_sessions: \(error)")
      }
    }

    /// Saves if the stored revision is still `revision`, with the escalations, in one
    /// statement; the new revision, or nil when the row changed first.
    public func save(
      _ id: String, snapshot: [UInt8], replacing revision: Int64?,
      escalations: [EscalationEntry]
    ) throws(SessionStoreError) -> Int64? {
      let state = String(decoding: snapshot, as: UTF8.self)
      let categories = escalations.map(\.category)
      let turns = escalations.map { Int32(clamping: $0.turn) }
      let rows: PostgresQueryResult
      // Never retried: after a connection lost mid-commit the save may have happened, and
      // answering again would apply the message twice. The caller reports the failure.
      if let revision {
        rows = try query(
          """
          WITH s AS (
            UPDATE backtalk_sessions SET revision = revision + 1, updated_at = clock_timestamp(),
              state = \(state)
            WHERE id = \(id) AND revision = \(revision) RETURNING revision),
          e AS (
            INSERT INTO backtalk_escalations (session, category, turn, at)
            SELECT \(id), x.c, x.t, clock_timestamp() FROM s, unnest(\(categories)::text[], \(turns)::int[]) AS x(c, t))
          SELECT revision FROM s
          """, retrying: false)
      } else {
        rows = try query(
          """
          WITH s AS (
            INSERT INTO backtalk_sessions (id, revision, updated_at, state)
            VALUES (\(id), 1, clock_timestamp(), \(state))
            ON CONFLICT (id) DO NOTHING RETURNING revision),
          e AS (
            INSERT INTO backtalk_escalations (session, category, turn, at)
            SELECT \(id), x.c, x.t, clock_timestamp() FROM s, unnest(\(categories)::text[], \(turns)::int[]) AS x(c, t))
          SELECT revision FROM s
          """, retrying: false)
      }
      guard let row = rows.first else { return nil }
      do { return try row.decode(Int64.self) } catch {
        throw .failed("unexpected row from backtalk_sessions: \(error)")
      }
    }

    /// Forgets a session; its escalations stay.
    public func delete(_ id: String) throws(SessionStoreError) {
      _ = try query("DELETE FROM backtalk_sessions WHERE id = \(id)", retrying: true)
    }

    /// Recorded escalations, newest first.
    public func escalations(limit: Int) throws(SessionStoreError) -> [EscalationEntry] {
      let rows = try query(
        """
        SELECT session, category, turn, (extract(epoch FROM at) * 1000)::bigint
        FROM backtalk_escalations ORDER BY at DESC, seq DESC LIMIT \(max(0, limit))
        """, retrying: true)
      do {
        return try rows.map { row in
          let (session, category, turn, time) = try row.decode((String, String, Int32, Int64).self)
          return EscalationEntry(session: session, category: category, turn: Int(turn), time: time)
        }
      } catch {
        throw .failed("unexpected row from backtalk_escalations: \(error)")
      }
    }

    /// Deletes sessions idle longer than `idle`; how many.
    @discardableResult
    public func purge(idleLongerThan idle: Duration) throws(SessionStoreError) -> Int {
      let seconds = Int64(idle.components.seconds)
      let rows = try query(
        "DELETE FROM backtalk_sessions WHERE updated_at < clock_timestamp() - make_interval(secs => \(seconds))",
        retrying: true)
      return rows.metadata.rows ?? 0
    }

    /// Runs a statement on the connection, connecting first when there is none; a statement
    /// that is safe to repeat is retried once on a new connection when the old one broke.
    private func query(_ query: PostgresQuery, retrying: Bool) throws(SessionStoreError)
      -> PostgresQueryResult
    {
      lock.lock()
      defer { lock.unlock() }
      let connection = try connected()
      do {
        return try run(connection, query)
      } catch {
        guard connection.isClosed else { throw error }
        self.connection = nil
        guard retrying else { throw error }
        return try run(try connected(), query)
      }
    }

    /// The open connection, or a new one; call with `lock` held.
    private func connected() throws(SessionStoreError) -> PostgresConnection {
      if let connection, !connection.isClosed { return connection }
      do {
        let connection = try PostgresConnection.connect(
          on: group.next(), configuration: configuration, id: 1, logger: logger
        ).wait()
        self.connection = connection
        return connection
      } catch {
        throw .unreachable("cannot connect to \(location): \(Self.describe(error))")
      }
    }

    private func run(_ connection: PostgresConnection, _ query: PostgresQuery)
      throws(SessionStoreError) -> PostgresQueryResult
    {
      do { return try connection.query(query, logger: logger).wait() } catch {
        throw .failed(Self.describe(error))
      }
    }

    /// What went wrong, in the server's words when it said something; never the statement or
    /// its values (they hold what people wrote).
    static func describe(_ error: any Error) -> String {
      guard let error = error as? PSQLError else { return String(describing: error) }
      if let message = error.serverInfo?[.message] {
        let code = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
        return message + code
      }
      if let underlying = error.underlying { return "\(error.code): \(underlying)" }
      return "\(error.code)"
    }
  }

  extension PostgresLocation {
    /// True: this build has the Postgres trait.
    static let isBuiltIn = true

    /// Connects (see ``PostgresSessionStore/init(_:)``).
    func open() throws(SessionStoreError) -> (any PersistentSessionStore)? {
      try PostgresSessionStore(self)
    }
  }

  extension SessionStoreError {
    /// The same failure, said to be about setting up `location`.
    fileprivate func opening(_ location: PostgresLocation) -> SessionStoreError {
      switch self {
      case .failed(let reason):
        return .unreachable("cannot set up the tables in \(location): \(reason)")
      default: return self
      }
    }
  }
#endif
