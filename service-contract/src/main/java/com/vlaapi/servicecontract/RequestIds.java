package com.vlaapi.servicecontract;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The request-id rule, the same in every service: a request id is a random UUID in its canonical
 * 36-character form. The gateway, the public edge, always mints a new one and replaces whatever a
 * client sent, because the id is the request log's primary key and one client must not collide
 * with another. Every service behind it keeps an incoming canonical UUID (so one id follows a
 * request through the fleet) and mints one for anything else, including no header at all.
 */
public final class RequestIds {

    private static final Pattern CANONICAL = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /**
     * {@link UUID#randomUUID()} asks the shared secure generator, under its lock, for 16 bytes per id;
     * on the gateway's hot path that was a few percent of its CPU (docs/benchmarks.md). Each thread
     * here draws from a generator of its own, a block at a time.
     */
    private static final ThreadLocal<IdEntropy> ENTROPY = ThreadLocal.withInitial(IdEntropy::new);

    private RequestIds() {
    }

    /** For a service behind the gateway: the caller's id when it is a canonical UUID, else a new one. */
    public static UUID keepOrMint(String incoming) {
        return parseCanonical(incoming).orElseGet(RequestIds::mint);
    }

    /** For the public edge: always a new id, as random as {@link UUID#randomUUID()}'s. */
    public static UUID mint() {
        return ENTROPY.get().nextId();
    }

    /** Only the 36-character form: {@link UUID#fromString} also accepts oddities like "1-2-3-4-5". */
    public static Optional<UUID> parseCanonical(String value) {
        return value != null && CANONICAL.matcher(value).matches() ? Optional.of(UUID.fromString(value)) : Optional.empty();
    }

    private static final class IdEntropy {

        private static final int IDS_PER_BLOCK = 256;

        private final SecureRandom random = new SecureRandom();
        private final ByteBuffer block = ByteBuffer.allocate(IDS_PER_BLOCK * 16);

        IdEntropy() {
            block.position(block.limit());
        }

        /** A version 4 (random) UUID of the IETF variant, as {@link UUID#randomUUID()} makes. */
        UUID nextId() {
            if (!block.hasRemaining()) {
                random.nextBytes(block.array());
                block.clear();
            }
            long high = (block.getLong() & ~0xF000L) | 0x4000L;
            long low = (block.getLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
            return new UUID(high, low);
        }
    }
}
