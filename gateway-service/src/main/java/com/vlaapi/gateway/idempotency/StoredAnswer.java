package com.vlaapi.gateway.idempotency;

import com.vlaapi.servicecontract.RequestIds;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What Redis holds under an Idempotency-Key: {@code claim:<body hash>:<request id>:<epoch ms>}
 * while its first request is served (the id it is served under, and since when), then
 * {@code answer:<body hash>:<status>:<body>}.
 */
final class StoredAnswer {

    private static final String CLAIM = "claim:";
    private static final String ANSWER = "answer:";
    /** SHA-256 in hex. */
    private static final int HASH_CHARS = 64;
    private static final int UUID_CHARS = 36;

    /** A stored final answer to the request whose body had {@code bodyHash}. */
    record Answer(String bodyHash, int status, String body) {
    }

    /** The request served under a key: its body's hash, its request id, and when it was claimed. */
    record Claim(String bodyHash, UUID requestId, Instant claimedAt) {

        String stored() {
            return CLAIM + bodyHash + ":" + requestId + ":" + claimedAt.toEpochMilli();
        }
    }

    private StoredAnswer() {
    }

    static String of(String bodyHash, int status, String body) {
        return ANSWER + bodyHash + ":" + status + ":" + body;
    }

    /** The answer stored, or null while the key is only claimed (or holds nothing readable). */
    static Answer parse(String stored) {
        int statusAt = ANSWER.length() + HASH_CHARS + 1;
        if (!stored.startsWith(ANSWER) || stored.length() < statusAt + 4 || stored.charAt(statusAt + 3) != ':') {
            return null;
        }
        return new Answer(stored.substring(ANSWER.length(), ANSWER.length() + HASH_CHARS),
                Integer.parseInt(stored.substring(statusAt, statusAt + 3)), stored.substring(statusAt + 4));
    }

    /** The claim stored, if {@code stored} is one. */
    static Optional<Claim> parseClaim(String stored) {
        int idAt = CLAIM.length() + HASH_CHARS + 1;
        int timeAt = idAt + UUID_CHARS + 1;
        if (!stored.startsWith(CLAIM) || stored.length() <= timeAt || stored.charAt(idAt - 1) != ':'
                || stored.charAt(timeAt - 1) != ':') {
            return Optional.empty();
        }
        Optional<UUID> id = RequestIds.parseCanonical(stored.substring(idAt, idAt + UUID_CHARS));
        String millis = stored.substring(timeAt);
        if (id.isEmpty() || !millis.chars().allMatch(Character::isDigit) || millis.length() > 18) {
            return Optional.empty();
        }
        return Optional.of(new Claim(stored.substring(CLAIM.length(), CLAIM.length() + HASH_CHARS), id.get(),
                Instant.ofEpochMilli(Long.parseLong(millis))));
    }
}
