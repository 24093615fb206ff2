package com.vlaapi.gateway.session;

import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import java.util.Optional;
import org.springframework.web.reactive.socket.CloseStatus;

/**
 * Why the gateway closes a session: the WebSocket close code and the reason it sends, the same on
 * {@code /v1/sessions} and {@code /v1/openpi} (docs/sessions.md lists them). 4000-4999 is the
 * range RFC 6455 leaves to applications.
 */
public enum SessionClose {

    /** The gateway is shutting down; reconnect (to another instance). */
    GOING_AWAY(1001, "going_away"),
    /** A frame that is not an observation of the protocol (not a JSON object or MessagePack map, or an unknown type). */
    POLICY_VIOLATION(1008, "policy_violation"),
    /** A frame over vla.gateway.max-body-bytes (Netty closes the connection with this code itself). */
    MESSAGE_TOO_BIG(1009, "message_too_big"),
    /** Something failed on the gateway's side; openpi's clients also get it after a failed observation. */
    INTERNAL_ERROR(1011, "internal_error"),
    /** inference-service is overloaded or unreachable; reconnect after a pause. */
    TRY_AGAIN_LATER(1013, "overloaded"),
    /** The API key was revoked while the session was open. */
    KEY_REVOKED(4001, "revoked_api_key"),
    /** The API key expired while the session was open. */
    KEY_EXPIRED(4002, "expired_api_key"),
    /** The key cannot be used any more for another reason (no longer active, or the account suspended). */
    KEY_UNUSABLE(4003, "api_key_unusable"),
    /** The month's quota is used up. */
    QUOTA_EXCEEDED(4004, "quota_exceeded"),
    /** The client answered no ping (and sent nothing else) for vla.gateway.sessions.heartbeat-timeout. */
    HEARTBEAT_TIMEOUT(4005, "heartbeat_timeout");

    private final int code;
    private final String reason;

    SessionClose(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public CloseStatus status() {
        return new CloseStatus(code, reason);
    }

    /** The close that an observation's refusal ends its session with; none when the session goes on. */
    public static Optional<SessionClose> after(ApiError refusal) {
        String code = refusal.code();
        if (code.equals(PublicErrorCode.REVOKED_API_KEY.id())) {
            return Optional.of(KEY_REVOKED);
        }
        if (code.equals(PublicErrorCode.EXPIRED_API_KEY.id())) {
            return Optional.of(KEY_EXPIRED);
        }
        if (code.equals(PublicErrorCode.INVALID_API_KEY.id()) || code.equals(PublicErrorCode.CUSTOMER_SUSPENDED.id())) {
            return Optional.of(KEY_UNUSABLE);
        }
        if (code.equals(PublicErrorCode.QUOTA_EXCEEDED.id())) {
            return Optional.of(QUOTA_EXCEEDED);
        }
        if (refusal.status().value() == 503) {
            return Optional.of(TRY_AGAIN_LATER);
        }
        return Optional.empty();
    }
}
