import Testing

@testable import RestgateRuntime

/// An event names its registration, not only its descriptor number.
@Suite struct RegistrationTagTests {
    @Test func theTagRoundTripsThroughEpollsSixtyFourBits() {
        for (descriptor, id) in [(Int32(0), UInt32(1)), (7, 42), (Int32.max, UInt32.max), (1023, 1 << 31)] {
            let tag = RegistrationTag(descriptor: descriptor, id: id)
            #expect(RegistrationTag(rawValue: tag.rawValue) == tag)
        }
    }

    @Test func aReusedDescriptorNumberIsAnotherRegistration() {
        let old = RegistrationTag(descriptor: 9, id: 100)
        let new = RegistrationTag(descriptor: 9, id: 101)
        #expect(old != new)
        #expect(old.rawValue != new.rawValue)
    }
}
