import Testing

/// The tests that run the real binary, in one serialized suite: they compete for the same two
/// cores, and a time limit on each turns a stuck child into a failure instead of a hung run
/// (the helpers also kill a child that outlives its own deadline, see ``Child``).
@Suite(.serialized, .timeLimit(.minutes(3))) struct ProcessTests {}
