package com.vlaapi.servicecontract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * The gateway's channel to inference-service for {@code POST /v1/inference}: one WebSocket per
 * inference instance, opened with the internal token, over which many requests travel at once,
 * each answered under its request id. Both directions are binary frames: one ASCII header line,
 * then the JSON body as {@code POST /v1/inference} takes and answers it.
 * <ul>
 *   <li>request: {@code <request id> <customer id> <api key id or ->\n<body>}</li>
 *   <li>answer: {@code <request id> <HTTP status>[ <Retry-After seconds>]\n<body>} (a success's
 *   answer, or the error body, and the Retry-After header the same answer has over HTTP)</li>
 * </ul>
 * An answer {@link #NOT_TAKEN} says the instance is stopping and did not take the request (it is
 * neither logged nor billed there): the gateway sends it to another instance, as after a refused connection.
 */
public final class InferenceChannelFrames {

    /** Where inference-service accepts the channel (a WebSocket upgrade; the gateway's internal token). */
    public static final String PATH = "/internal/v1/inference-channel";

    /** 421 Misdirected Request: not taken by this instance, which is stopping. */
    public static final int NOT_TAKEN = 421;

    private static final byte NEWLINE = '\n';
    private static final String NO_KEY = "-";

    /** A request read off the channel; its body is {@code frame[bodyOffset..]}. */
    public record Request(UUID requestId, UUID customerId, UUID apiKeyId, byte[] frame, int bodyOffset) {

        public int bodyLength() {
            return frame.length - bodyOffset;
        }
    }

    /** An answer read off the channel; {@code retryAfter} is null when the answer has none. */
    public record Answer(String requestId, int status, String retryAfter, byte[] body) {
    }

    private InferenceChannelFrames() {
    }

    public static byte[] request(String requestId, UUID customerId, UUID apiKeyId, byte[] body) {
        return frame(requestId + " " + customerId + " " + (apiKeyId == null ? NO_KEY : apiKeyId.toString()), body);
    }

    /** @param retryAfter seconds, or null for none */
    public static byte[] answer(UUID requestId, int status, Integer retryAfter, byte[] body) {
        return frame(requestId + " " + status + (retryAfter == null ? "" : " " + retryAfter), body);
    }

    /** @return empty when the frame is not a request as described above */
    public static Optional<Request> readRequest(byte[] frame) {
        int end = headerEnd(frame);
        if (end < 0) {
            return Optional.empty();
        }
        String[] fields = new String(frame, 0, end, StandardCharsets.US_ASCII).split(" ", -1);
        if (fields.length != 3) {
            return Optional.empty();
        }
        Optional<UUID> requestId = RequestIds.parseCanonical(fields[0]);
        Optional<UUID> customerId = RequestIds.parseCanonical(fields[1]);
        Optional<UUID> apiKeyId = fields[2].equals(NO_KEY) ? Optional.empty() : RequestIds.parseCanonical(fields[2]);
        if (requestId.isEmpty() || customerId.isEmpty() || (apiKeyId.isEmpty() && !fields[2].equals(NO_KEY))) {
            return Optional.empty();
        }
        return Optional.of(new Request(requestId.get(), customerId.get(), apiKeyId.orElse(null), frame, end + 1));
    }

    /** @return empty when the frame is not an answer as described above */
    public static Optional<Answer> readAnswer(byte[] frame) {
        int end = headerEnd(frame);
        if (end < 0) {
            return Optional.empty();
        }
        String[] fields = new String(frame, 0, end, StandardCharsets.US_ASCII).split(" ", -1);
        if (fields.length < 2 || fields.length > 3 || !isStatus(fields[1]) || (fields.length == 3 && !isDigits(fields[2], 9))) {
            return Optional.empty();
        }
        return Optional.of(new Answer(fields[0], Integer.parseInt(fields[1]), fields.length == 3 ? fields[2] : null,
                Arrays.copyOfRange(frame, end + 1, frame.length)));
    }

    /** An HTTP status, 100-599; checked by hand, as {@link String#matches} compiles its pattern on every call. */
    private static boolean isStatus(String field) {
        return field.length() == 3 && field.charAt(0) >= '1' && field.charAt(0) <= '5' && isDigits(field, 3);
    }

    private static boolean isDigits(String field, int maxLength) {
        if (field.isEmpty() || field.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < field.length(); i++) {
            if (field.charAt(i) < '0' || field.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static byte[] frame(String header, byte[] body) {
        byte[] head = header.getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[head.length + 1 + body.length];
        System.arraycopy(head, 0, frame, 0, head.length);
        frame[head.length] = NEWLINE;
        System.arraycopy(body, 0, frame, head.length + 1, body.length);
        return frame;
    }

    /** The header is short; a frame without a newline in its first 200 bytes is not one of ours. */
    private static int headerEnd(byte[] frame) {
        for (int i = 0; i < Math.min(frame.length, 200); i++) {
            if (frame[i] == NEWLINE) {
                return i;
            }
        }
        return -1;
    }
}
