package com.vlaapi.gateway.idempotency;

/**
 * What Redis holds under an Idempotency-Key: {@code claim:<body hash>} while its first request is
 * served, then {@code answer:<body hash>:<status>:<body>}.
 */
final class StoredAnswer {

    private static final String CLAIM = "claim:";
    private static final String ANSWER = "answer:";
    /** SHA-256 in hex. */
    private static final int HASH_CHARS = 64;

    /** A stored final answer to the request whose body had {@code bodyHash}. */
    record Answer(String bodyHash, int status, String body) {
    }

    private StoredAnswer() {
    }

    static String claim(String bodyHash) {
        return CLAIM + bodyHash;
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
}
