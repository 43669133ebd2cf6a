import BacktalkCore

#if !Postgres
  extension PostgresLocation {
    /// False: this build was made without the Postgres trait.
    static let isBuiltIn = false

    /// Fails: this build has no PostgreSQL store.
    func open() throws(SessionStoreError) -> (any PersistentSessionStore)? {
      throw .notInThisBuild(
        "PostgreSQL",
        how:
          "build with `swift build --traits Postgres` (docs/DEPLOYING.md), or use --sessions sqlite:PATH"
      )
    }
  }
#endif
