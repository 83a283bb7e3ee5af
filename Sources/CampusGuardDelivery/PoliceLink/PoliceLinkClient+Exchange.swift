import CampusGuardCore
import Logging
import Synchronization

/// One message to one receiver: connect when needed, write the frame, wait for the answer,
/// send it again with the receiver's time after a NAK.
extension PoliceLinkClient {
    enum ExchangeResult {
        case acknowledged(ackLatency: Duration)
        case rejected
        case failed(String)
    }

    private enum Answer {
        case ack, duh
        case nak(Instant?)
        case silence
        case closed(String)
    }

    func exchange(
        _ message: Message,
        sequence: Int,
        with receiver: PoliceLinkReceiver,
        session: LinkSession,
        tally: inout Tally
    ) throws(PoliceLinkError) -> ExchangeResult {
        guard let connection = session.connections[receiver.role] else { return .failed("not configured") }
        session.lastContact[receiver.role] = .now
        tally.attempts += 1
        if connection.isOpen { dropStaleInput(connection) }
        if !connection.isOpen {
            do {
                try connection.open(timeout: options.ackTimeout)
            } catch  where error.kind == .stopped {
                throw error
            } catch {
                shared.withLock { $0.counters.connectFailures += 1 }
                return .failed(error.message)
            }
        }
        var naks = 0
        while true {
            let frame = self.frame(message, sequence: sequence, at: clock() + session.clockOffset)
            let bytes = try frame.encoded(key: options.key)
            do {
                try connection.write(bytes, timeout: options.ackTimeout)
            } catch  where error.kind == .stopped {
                throw error
            } catch {
                connection.close()
                return .failed(error.message)
            }
            let written = ContinuousClock.now
            shared.withLock { $0.counters.frames += 1 }
            switch try awaitAnswer(connection, sequence: sequence, until: written + options.ackTimeout) {
            case .ack:
                shared.withLock { $0.counters.acks += 1 }
                return .acknowledged(ackLatency: .now - written)
            case .duh:
                shared.withLock { $0.counters.duhs += 1 }
                return .rejected
            case .nak(let receiverTime):
                naks += 1
                tally.naks += 1
                shared.withLock { $0.counters.naks += 1 }
                guard let receiverTime else {
                    return .failed("NAK without a time: the receiver does not know account \(options.account)")
                }
                let offset = receiverTime - clock()
                logger.warning(
                    "Police link: NAK, the receiver's clock differs; sending again with its time",
                    metadata: [
                        "police.endpoint": "\(receiver)", "police.sequence": "\(sequence)",
                        "offset": "\(offset)", "naks": "\(naks)",
                    ]
                )
                session.clockOffset = offset
                if naks > options.nakResends { return .failed("NAK \(naks) times (timestamp rejected)") }
                tally.attempts += 1
            case .silence:
                // A late ACK would be read as the answer to the next message: start afresh.
                connection.close()
                shared.withLock { $0.counters.timeouts += 1 }
                return .failed("no answer within \(Self.seconds(options.ackTimeout))")
            case .closed(let why):
                connection.close()
                return .failed(why)
            }
        }
    }

    private func awaitAnswer(
        _ connection: ReceiverConnection,
        sequence: Int,
        until deadline: ContinuousClock.Instant
    )
        throws(PoliceLinkError) -> Answer
    {
        var buffer = DC09ReplyBuffer()
        while true {
            while let raw = buffer.next() {
                let reply: DC09Reply
                do {
                    reply = try DC09Reply.decode(raw, key: options.key)
                } catch {
                    logger.warning(
                        "Police link: unreadable answer ignored",
                        metadata: ["police.endpoint": "\(connection.receiver)", "error": "\(error)"]
                    )
                    continue
                }
                switch reply {
                case .ack(let s) where s == sequence: return .ack
                case .duh(let s) where s == sequence || s == 0: return .duh
                case .nak(let t): return .nak(t)
                case .ack, .duh:
                    logger.debug("Police link: answer to an earlier message ignored", metadata: ["reply": "\(reply)"])
                }
            }
            guard try connection.waitReadable(until: deadline) else { return .silence }
            do {
                if try connection.readAvailable(into: &buffer) == .closed {
                    return .closed("connection closed by the receiver")
                }
            } catch {
                return .closed(error.message)
            }
        }
    }

    /// Reads and drops what arrived since the last message (a late answer); reconnects when
    /// the receiver closed the idle connection meanwhile.
    private func dropStaleInput(_ connection: ReceiverConnection) {
        var stale = DC09ReplyBuffer()
        while true {
            let result: ReceiverConnection.ReadResult
            do {
                result = try connection.readAvailable(into: &stale)
            } catch {
                connection.close()
                return
            }
            switch result {
            case .data: continue
            case .nothing: return
            case .closed:
                connection.close()
                return
            }
        }
    }

    func frame(_ message: Message, sequence: Int, at time: Instant) -> DC09Frame {
        let data: String
        let id: String
        switch message {
        case .contactID(let event):
            id = DC09Frame.contactID
            data = event.data(account: options.account)
        case .linkTest:
            id = DC09Frame.null
            data = ""
        }
        return DC09Frame(
            id: id,
            sequence: sequence,
            receiver: options.receiverNumber,
            prefix: options.linePrefix,
            account: options.account,
            data: data,
            timestamp: time
        )
    }

    static func seconds(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(ms)ms"
    }
}
