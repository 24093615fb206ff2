package com.vlaapi.gateway.session;

import com.vlaapi.gateway.apikey.ApiKeyAuthenticator;
import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.edge.UnreadBody;
import com.vlaapi.gateway.requestid.RequestIdFilter;
import com.vlaapi.gateway.session.SessionModels.SessionModel;
import com.vlaapi.servicecontract.ServiceHeaders;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.ApiException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * Opens a session: the API key is checked as for any request (a refused key gets its usual JSON
 * error before any upgrade), the key's and the customer's number of open sessions are bounded,
 * the model's contract is fetched from inference-service, and only then is the connection
 * upgraded. The session's id is the upgrade request's id (the access log's line has it).
 */
public final class SessionHandshake implements WebHandler {

    /** One session protocol: how the key is sent, what the query may say, and the session itself. */
    public interface Protocol {
        /** The Authorization schemes accepted, the first the one error messages name. */
        List<String> schemes();

        /** Why the query cannot open a session; empty when it can. */
        Optional<ApiError> checkQuery(MultiValueMap<String, String> query);

        SessionConnection open(WebSocketSession socket, Opening opening);
    }

    /**
     * What a new session starts with.
     *
     * @param eventLoop      the connection's event loop, where the session's work continues after Redis answered
     * @param dropConnection closes the connection at once, without a close frame, for a client nothing reaches any more
     */
    public record Opening(String sessionId, ResolvedApiKey key, String keyHash, SessionModel model, Executor eventLoop,
                   Runnable dropConnection, MultiValueMap<String, String> query) {
    }

    private final Protocol protocol;
    private final ApiKeyAuthenticator authenticator;
    private final SessionRegistry registry;
    private final SessionModels models;
    private final WebSocketService upgrades;

    SessionHandshake(Protocol protocol, ApiKeyAuthenticator authenticator, SessionRegistry registry, SessionModels models,
                     WebSocketService upgrades) {
        this.protocol = protocol;
        this.authenticator = authenticator;
        this.registry = registry;
        this.models = models;
        this.upgrades = upgrades;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange) {
        return authenticator.authenticate(exchange, protocol.schemes()).flatMap(outcome -> {
            if (outcome instanceof ApiKeyAuthenticator.Refused refused) {
                if (refused.retryAfterSeconds() > 0) {
                    exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(refused.retryAfterSeconds()));
                }
                return UnreadBody.refuse(exchange, refused.error());
            }
            ApiKeyAuthenticator.Authenticated authenticated = (ApiKeyAuthenticator.Authenticated) outcome;
            if (!"websocket".equalsIgnoreCase(exchange.getRequest().getHeaders().getUpgrade())) {
                exchange.getResponse().getHeaders().set(HttpHeaders.UPGRADE, "websocket");
                return UnreadBody.refuse(exchange, new ApiError(HttpStatus.UPGRADE_REQUIRED, "upgrade_required",
                        "This is a WebSocket endpoint: connect with a WebSocket client (Upgrade: websocket)."));
            }
            MultiValueMap<String, String> query = exchange.getRequest().getQueryParams();
            Optional<ApiError> badQuery = protocol.checkQuery(query);
            if (badQuery.isPresent()) {
                return UnreadBody.refuse(exchange, badQuery.get());
            }
            return open(exchange, authenticated, query);
        });
    }

    private Mono<Void> open(ServerWebExchange exchange, ApiKeyAuthenticator.Authenticated authenticated,
                            MultiValueMap<String, String> query) {
        ResolvedApiKey key = authenticated.key();
        Optional<ApiError> full = registry.admit(key);
        if (full.isPresent()) {
            return UnreadBody.refuse(exchange, full.get());
        }
        AtomicBoolean left = new AtomicBoolean();
        Runnable leave = () -> {
            if (left.compareAndSet(false, true)) {
                registry.leave(key);
            }
        };
        String sessionId = RequestIdFilter.of(exchange).toString();
        exchange.getResponse().getHeaders().set(ServiceHeaders.REQUEST_ID, sessionId);
        return models.find(key, sessionId, query.getFirst("model"))
                .flatMap(model -> upgrades.handleRequest(exchange, socket -> {
                    Optional<Connection> connection = connection(exchange);
                    SessionConnection session = protocol.open(socket, new Opening(sessionId, key, authenticated.keyHash(),
                            model, connection.<Executor>map(c -> c.channel().eventLoop()).orElse(Runnable::run),
                            () -> {
                                registry.droppedUnread();
                                connection.ifPresent(c -> c.channel().close());
                            }, query));
                    registry.opened(session);
                    return session.run().doFinally(signal -> leave.run());
                }))
                .onErrorResume(ApiException.class, refused -> {
                    leave.run();
                    return UnreadBody.refuse(exchange, refused.error());
                })
                .doOnError(e -> leave.run());
    }

    /** Reactor Netty's connection under the exchange (the gateway's server is Reactor Netty's). */
    private static Optional<Connection> connection(ServerWebExchange exchange) {
        return ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest()) instanceof Connection connection
                ? Optional.of(connection) : Optional.empty();
    }
}
