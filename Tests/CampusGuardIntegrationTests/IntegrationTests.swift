import Testing

/// All suites with real servers, one at a time: each starts its own broker on a port found
/// free a moment before, and two suites racing for the same port would test each other's broker.
@Suite(.serialized) enum IntegrationTests {}
